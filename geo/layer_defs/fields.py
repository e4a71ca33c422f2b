"""Popup lines that several map layers share (the same labels everywhere)."""

from __future__ import annotations

from geo.layers import PopupField

TAMBON = PopupField("tambon", "ตำบล", "Tambon")
HOUSEHOLDS = PopupField("households", "ครัวเรือน", "Households", 0)
DATA_NOTE = PopupField("data_note", "ที่มา", "Source")
#: where a record is and where it comes from
PLACE = (TAMBON, PopupField("pcode", "รหัสตำบล", "P-code"), DATA_NOTE)
