"""The words lokflow shows people, in Swedish and English."""
