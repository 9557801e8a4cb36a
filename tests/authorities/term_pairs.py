"""Real vocabulary pairs the term policy is held to, of this archive's kind (Soviet and Iranian
documents of the 1940s and the Cold War).

Each row is (one text, another text, outcome, why). The outcome is what either text, written
in a file, must get when an entry of the archive is named by the other (the rule is in the
policy's docstring, documents/authorities/terms.py):

- FOLDED: the same folded key, so linked (and listed for a curator to check);
- LINK: a question whose proposed answer is to link the entry;
- CREATE: a question whose proposed answer is to create a new entry (a likely typing error,
  but the two are usually different entries);
- DIFFERENT: no question at all.
"""

from documents.authorities.terms import CREATE, FOLDED, LINK

DIFFERENT = "different"

PAIRS = [
    # Folded: case, punctuation, hyphens, dashes, diacritics, Azerbaijani letters, Cyrillic.
    ("Tudeh Party of Iran", "tudeh party of IRAN", FOLDED, "case"),
    ("Azerbaijan Crisis, 1945-1946", "Azerbaijan Crisis 1945–1946", FOLDED, "comma and dash"),
    ("Iran-Soviet Relations", "Iran Soviet relations", FOLDED, "hyphen and case"),
    ("Azerbaijan People's Government", "Azerbaijan Peoples Government", FOLDED, "apostrophe"),
    ("Bakı", "Baki", FOLDED, "Azerbaijani dotless i"),
    ("Təbriz", "Tabriz", FOLDED, "Azerbaijani schwa"),
    ("Тегеран", "Tegeran", FOLDED, "Cyrillic against its romanisation"),
    ("Qazvīn", "Qazvin", FOLDED, "scholarly macron"),
    ("AVP RF", "AVP-RF", FOLDED, "hyphen in an abbreviation"),
    ("RGASPI", "Rgaspi", FOLDED, "case of an abbreviation"),
    # Near, proposing to link: spellings of the same entry.
    ("Tehran", "Teheran", LINK, "one letter added in a long word"),
    ("Tabriz", "Tebriz", LINK, "one vowel changed"),
    ("Ardabil", "Ardebil", LINK, "one vowel changed"),
    ("Mazandaran", "Mazanderan", LINK, "one vowel changed"),
    ("Qazvin", "Kazvin", LINK, "q / k transliteration"),
    ("Kurdistan", "Kordestan", LINK, "Persian transliteration of the vowels"),
    ("Azerbaijan", "Azerbaydzhan", LINK, "Russian transliteration"),
    ("Vladikavkaz", "Vladikavkas", LINK, "one letter changed, not the first"),
    ("Oil concessions", "Oil concession", LINK, "plural"),
    ("Soviet troops in Iran", "Soviet troop in Iran", LINK, "plural"),
    ("Oil concessions", "Oil concesions", LINK, "one letter dropped"),
    ("Separatist movement in Northern Iran", "Seperatist movement in Northern Iran", LINK, "typo"),
    ("Iran Crisis, 1946", "Iran Crisis of 1946", LINK, "small word instead of a comma"),
    ("The Iran/Azerbaijan Crisis, 1946", "Iran/Azerbaijan Crisis, 1946", LINK, "leading article"),
    ("Iranian-Soviet relations", "Soviet-Iranian relations", LINK, "word order"),
    ("Iran-Soviet Relations", "Iranian-Soviet Relations", LINK, "a derived word (collections)"),
    ("Carnegie Corporation of New York", "Carnegie Corp.", LINK, "abbreviated, qualifier left out"),
    ("Carnegie Corporation", "Carnegie Corp.", LINK, "abbreviated word"),
    ("Tudeh Party of Iran", "Tudeh Party", LINK, "qualifier after 'of' left out"),
    ("Azerbaijan Crisis, 1945-1946", "Azerbaijan Crisis", LINK, "dates after a comma left out"),
    ("Tabriz (Iran)", "Tabriz", LINK, "qualifier in parentheses left out"),
    ("AVP RF", "AVPRF", LINK, "spacing of an abbreviation"),
    ("Cold War International History Project", "CWIHP", LINK, "initials"),
    ("Arkhiv vneshnei politiki Rossiiskoi Federatsii", "AVPRF", LINK, "initials, Russian"),
    ("Communist Party of Iran", "Communist Parties of Iran", LINK, "plural"),
    # Near, proposing to create: probably different, asked because it may be a typing error.
    ("Iran", "Iraq", CREATE, "one letter in a short word: two countries"),
    ("Soviet troops in Iran", "Soviet troops in Iraq", CREATE, "one letter in a short word"),
    ("Tudeh Party of Iran", "Tudeh Party of Iraq", CREATE, "one letter in a short word"),
    ("Gilan", "Golan", CREATE, "a short word sounding alike: a province and a plateau"),
    ("Rasht", "Resht", CREATE, "a short word: a real transliteration, but short"),
    ("Azerbaijan Crisis, 1945-1946", "Azerbaijan Crisis, 1945-1947", CREATE, "one digit"),
    ("Iran Crisis, 1946", "Iran Crisis, 1947", CREATE, "another year"),
    # Different: no question.
    ("Baku", "Maku", DIFFERENT, "another first letter: two towns"),
    ("Russia", "Prussia", DIFFERENT, "a letter before the first"),
    ("Iran", "Iran-Soviet Relations", DIFFERENT, "one word is not a name it begins"),
    ("Soviet Union", "Soviet Union--Foreign relations", DIFFERENT, "a subdivision"),
    ("Democratic Party of Iran", "Azerbaijan Democratic Party", DIFFERENT, "two parties"),
    ("Carnegie Corp.", "Carnegie Endowment for International Peace", DIFFERENT, "two funders"),
    ("Rockefeller Foundation", "Rockefeller Brothers Fund", DIFFERENT, "two funders"),
    ("MacArthur Foundation", "Leon Levy Foundation", DIFFERENT, "two funders"),
    ("Five-Year Plan, 1946-1950", "Five-Year Plan, 1951-1955", DIFFERENT, "two plans"),
    ("Tehran", "Tehran Conference, 1943", DIFFERENT, "a place and an event"),
    ("Iran", "Oman", DIFFERENT, "two letters"),
    ("RGASPI", "RGAE", DIFFERENT, "two archives"),
    ("AzR", "AVP RF", DIFFERENT, "two archives"),
    ("Moscow", "Moskva", DIFFERENT, "an exonym: an other name of the entry, not a spelling"),
    ("Russian", "Prussian", DIFFERENT, "a letter before the first"),
    ("Letter", "Telegram", DIFFERENT, "two document types"),
    ("Top Secret", "Secret", DIFFERENT, "two classifications"),
    ("Communist Party of Iran", "Communist Party of the Soviet Union", DIFFERENT, "two parties"),
]

PAIRS += [
    ("Iran-Soviet Relations", "Iran-Soviet Relatoins", LINK, "two letters swapped in a collection"),
    ("Iran-Soviet Relations", "Iran-Soviet Relation", LINK, "a collection one letter off"),
    ("Ministry of Foreign Affairs", "Ministry", DIFFERENT, "one word before 'of' is no name"),
    ("Ministry of Foreign Affairs", "Ministry of Internal Affairs", DIFFERENT, "two ministries"),
    ("Persian", "fa", DIFFERENT, "a language and a code of another entry"),
]
