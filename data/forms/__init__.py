"""Forms for survey teams' own tools: the housing-need form as an XLSForm (KoboToolbox, ODK).

:mod:`data.forms.need_form` defines the questions once (names, Thai and English labels,
choice lists from :mod:`data.need_reports`, the server's limits as constraints);
:mod:`data.forms.xlsform` writes them as an XLSForm workbook, and
:mod:`data.importers.odk` reads the tools' exports of that form back.
"""
