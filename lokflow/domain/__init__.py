"""The pure core: plan documents, timelines, working days and what is due.

Nothing here touches a database, the network, the clock or Prefect.
"""
