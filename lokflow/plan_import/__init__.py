"""Reading plans from what coordinators have: workbooks (XLSX, ODS), CSV files
and tables in Word documents, each checked for size and bombs before any
parser sees it, then mapped to a plan document by column detection."""
