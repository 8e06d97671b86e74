"""Arriving from a spreadsheet and leaving to one, a calendar or a case review: import and export."""
