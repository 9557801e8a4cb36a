"""Real title pairs the duplicate-record rule is held to, of this archive's kind.

Each row is (one title, another title, possible duplicate?, why): on the same date, whichever
is the record and whichever the row, the row must (True) or must not (False) be proposed as a
possible duplicate of the record (the rule is in documents/authorities/records.py).
"""

PAIRS = [
    # Possible duplicates.
    (
        "Letter, I. V. Stalin to Cde. Pishevari",
        "Letter, I. V. Stalin to Cde. Pishevari",
        True,
        "the same title",
    ),
    (
        "Letter, I. V. Stalin to Cde. Pishevari",
        "LETTER: I.V. STALIN TO CDE. PISHEVARI.",
        True,
        "case and punctuation",
    ),
    (
        "Letter, I. V. Stalin to Cde. Pishevari",
        "Letter from I. V. Stalin to Comrade Pishevari",
        True,
        "an abbreviation written out and a small word",
    ),
    (
        "Report on the Situation in Iranian Azerbaijan, 1945",
        "Report on the Situation in Iranian Azerbaijan, 1946",
        True,
        "another year in the title",
    ),
    (
        "Record of Conversation between Molotov and Qavam",
        "Record of Conversation between V. M. Molotov and Prime Minister Qavam",
        True,
        "a few words inserted",
    ),
    (
        "Cable from Maximov to Molotov",
        "Cable from Maksimov to Molotov",
        True,
        "a name spelled otherwise",
    ),
    (
        "Letter from Pishevari to Bagirov",
        "Letter from Pishavari to Bagirov",
        True,
        "a transliteration",
    ),
    (
        "Telegram from Ghavam to Sadchikov",
        "Telegram from Qavam to Sadchikov",
        True,
        "gh / q in a short name",
    ),
    (
        "Report by M. D. Bagirov on the Events in Tabriz",
        "Report by M. D. Bagriov on the Events in Tabriz",
        True,
        "letters swapped in a name",
    ),
    (
        "Resolution of the Azerbaijan Democratic Party Congress",
        "Resolution of the Congress of the Azerbaijan Democratic Party",
        False,
        "words moved: not a duplicate by this rule (a question would need word order ignored)",
    ),
    (
        "Decree of the CC CPSU Politburo on Measures to Organize a Separatist Movement in "
        "Southern Azerbaijan",
        "Decree of the CC CPSU Politburo on Measures to Organize a "
        "Separatist Movement in Southern Azerbaijan and Other Provinces of Northern Iran",
        True,
        "words added at the end",
    ),
    (
        "Letter, J. Stalin to Pishevari",
        "Letter, Iosif Stalin to Pishevari",
        False,
        "an initial against another forename's letter",
    ),
    (
        "Letter, I. Stalin to Pishevari",
        "Letter, Iosif Stalin to Pishevari",
        True,
        "an initial for a forename",
    ),
    ("Note on the Kurdish Question", "Note on the Kurdish Questions", True, "a plural"),
    ("Telegram", "Telegram", True, "a short title, the same"),
    # Not duplicates.
    (
        "Telegram from Molotov to Stalin",
        "Telegram from Stalin to Molotov",
        False,
        "sender and recipient swapped: a reply",
    ),
    (
        "Report by Bagirov to Stalin on the Situation in Tabriz",
        "Report by Bagirov to Stalin on the Situation in Tehran",
        False,
        "another place",
    ),
    (
        "Letter from Pishevari to Bagirov",
        "Letter from Pishevari to Stalin",
        False,
        "another recipient",
    ),
    (
        "Letter, I. V. Stalin to Cde. Pishevari",
        "Letter, Molotov to Cde. Pishevari",
        False,
        "another author",
    ),
    ("Telegram", "Telegram from Stalin to Molotov", False, "a one-word title"),
    (
        "Memorandum of Conversation",
        "Memorandum of Conversation with the Shah",
        False,
        "two words shared only",
    ),
    (
        "Minutes of the Meeting of the Politburo",
        "Minutes of the Meeting of the Central Committee",
        False,
        "another body",
    ),
    (
        "Report No. 12 on the Situation in Gilan",
        "Report No. 13 on the Situation in Gilan",
        False,
        "another number that is not a year",
    ),
    (
        "Decree of the CC CPSU Politburo on Measures to Organize a Separatist Movement in "
        "Southern Azerbaijan",
        "Decree of the CC CPSU Politburo on Geological Prospecting Work for Oil in Northern Iran",
        False,
        "two decrees of one day (6 July 1945)",
    ),
    ("Soviet Troops in Iran", "Soviet Troops in Iraq", False, "another country, a short word"),
    ("Note on the Kurdish Question", "Note on the Armenian Question", False, "another question"),
]

PAIRS += [
    (
        "Letter from Kavtaradze to Ivanov on the Elections to the Majlis",
        "Letter from Ivanov to Vyshinsky on the Elections to the Majlis",
        False,
        "one name left out and another added: another letter",
    ),
    (
        "Record of Conversation from Stalin to Pishevari on Oil Concessions",
        "Record of Conversation from Pishevari to Molotov on Oil Concessions",
        False,
        "another author and recipient",
    ),
]
