"""Every write in the learning app, split by sub-domain:

content.py (loading course files), workbook.py (attempts, answers, submission, review),
certificates.py and records.py (certificates, training records), briefing.py and pledge.py.
"""
