"""The agreement's own cycle (issue 17, part two): dialogue meetings with
their agenda, invitation, minutes and decisions."""
