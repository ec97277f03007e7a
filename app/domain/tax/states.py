"""Indian states and union territories with their 2-digit GST state codes.

The place of supply of goods sent to a customer is the state of the delivery address.
Addresses arrive as people type them ("Karnataka", "KA", "karnataka ", "Orissa",
"Jammu & Kashmir"), so names, old names and the usual 2-letter codes all count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import BadInput

# Code -> the name printed on invoices (as the GST portal lists them).
STATE_NAMES: dict[str, str] = {
    "01": "Jammu and Kashmir",
    "02": "Himachal Pradesh",
    "03": "Punjab",
    "04": "Chandigarh",
    "05": "Uttarakhand",
    "06": "Haryana",
    "07": "Delhi",
    "08": "Rajasthan",
    "09": "Uttar Pradesh",
    "10": "Bihar",
    "11": "Sikkim",
    "12": "Arunachal Pradesh",
    "13": "Nagaland",
    "14": "Manipur",
    "15": "Mizoram",
    "16": "Tripura",
    "17": "Meghalaya",
    "18": "Assam",
    "19": "West Bengal",
    "20": "Jharkhand",
    "21": "Odisha",
    "22": "Chhattisgarh",
    "23": "Madhya Pradesh",
    "24": "Gujarat",
    "26": "Dadra and Nagar Haveli and Daman and Diu",
    "27": "Maharashtra",
    "29": "Karnataka",
    "30": "Goa",
    "31": "Lakshadweep",
    "32": "Kerala",
    "33": "Tamil Nadu",
    "34": "Puducherry",
    "35": "Andaman and Nicobar Islands",
    "36": "Telangana",
    "37": "Andhra Pradesh",
    "38": "Ladakh",
}

# Other spellings and the 2-letter codes (vehicle and ISO 3166-2:IN) -> code.
_OTHER_NAMES: dict[str, str] = {
    "jk": "01", "jammu kashmir": "01", "j k": "01",
    "hp": "02", "pb": "03", "ch": "04",
    "uk": "05", "ut": "05", "uttaranchal": "05",
    "hr": "06", "dl": "07", "new delhi": "07", "nct of delhi": "07",
    "national capital territory of delhi": "07",
    "rj": "08", "up": "09", "br": "10", "sk": "11", "ar": "12", "nl": "13", "mn": "14",
    "mz": "15", "tr": "16", "ml": "17", "as": "18", "wb": "19", "jh": "20",
    "od": "21", "or": "21", "orissa": "21",
    "cg": "22", "ct": "22", "chattisgarh": "22", "chhatisgarh": "22",
    "mp": "23", "gj": "24",
    "dd": "26", "dn": "26", "dh": "26", "daman and diu": "26", "dadra and nagar haveli": "26",
    "mh": "27", "ka": "29", "ga": "30", "ld": "31", "kl": "32",
    "tn": "33", "tamilnadu": "33",
    "py": "34", "pondicherry": "34",
    "an": "35", "andaman and nicobar": "35",
    "ts": "36", "tg": "36", "ap": "37", "la": "38",
}  # fmt: skip


def _key(text: str) -> str:
    """Lower case, '&' as 'and', punctuation as spaces, single spaces."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).split()
    if words[:1] == ["in"] and len(words) == 2:  # ISO form "IN-KA"
        words = words[1:]
    return " ".join(words)


_BY_KEY: dict[str, str] = {
    **{_key(name): code for code, name in STATE_NAMES.items()},
    **{_key(name): code for name, code in _OTHER_NAMES.items()},
}


@dataclass(frozen=True)
class State:
    """A state or union territory as an invoice names it: "Karnataka (29)"."""

    code: str
    name: str

    def text(self) -> str:
        return f"{self.name} ({self.code})"


def state_of(text: str) -> State:
    """The state a delivery address names; ``BadInput`` when it names none."""
    code = _BY_KEY.get(_key(text)) if text.strip() else None
    if code is None:
        raise BadInput(
            f"'{text.strip()}' is not an Indian state or union territory.",
            next_step="Ask HQ to correct the delivery address's state, e.g. Karnataka or KA.",
        )
    return State(code, STATE_NAMES[code])


def state_by_code(code: str) -> State:
    """The state of a GST state code ("29"), e.g. a GSTIN's first two digits."""
    if code not in STATE_NAMES:
        raise BadInput(f"{code} is no GST state code of a state or union territory.")
    return State(code, STATE_NAMES[code])
