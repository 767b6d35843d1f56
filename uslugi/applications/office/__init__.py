"""The office side of applications: the officials' queue and case page, the MFC operator's intake.

Views are thin: they check the staff member's scope (region and agency), validate a form, call one
service of `uslugi.applications.services` and render. Every view of a case's personal data writes
an audit row (`case.viewed`, `case.file_downloaded`, `cases.listed`).
"""
