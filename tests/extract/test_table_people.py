"""Table cells and columns about people: date cells as dates, first and last name columns as one PERSON."""
import datetime as dt

import pytest

from scanner.extract.tables import _name_pair, cell_text


@pytest.mark.parametrize("value, text", [
    (dt.datetime(1990, 5, 17), "1990-05-17"),                  # a spreadsheet date cell (midnight)
    (dt.datetime(1990, 5, 17, 9, 30), "1990-05-17T09:30:00"),  # a real timestamp keeps its time
    (dt.date(2011, 1, 9), "2011-01-09"),
])
def test_date_cells(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize("header, pair", [
    (["First name", "Surname", "DOB"], (0, 1)),
    (["id", "Last_Name", "FirstName"], (2, 1)),
    (["Forename", "Family name"], (0, 1)),
    (["Name", "Surname"], None),            # a full name column needs no partner
    (["First", "Last"], None),              # too vague to be names
    (["First name", "Email"], None),
])
def test_name_pair(header, pair):
    assert _name_pair(header) == pair
