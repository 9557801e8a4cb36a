"""Real name pairs the matching policy is held to, collected from 1940s Soviet and Iranian sources.

Each row is (one spelling, another spelling, grade, why). The grade is what either spelling,
written in a file or a form, must find when a person in the archive is named by the other:

- FOLDED: the same name key, so linked (and listed for a curator to check);
- LIKELY: a question for a curator, never linked alone;
- DIFFERENT: nothing at all, because these are two people.

The rule for people who share a surname (see the policy's docstring,
documents/authorities/matching.py): forenames both spellings give and that disagree make two
people (Andrei and Anatoly Gromyko, father and son); a forename one spelling leaves out makes a
question, not an answer ('Jafar Bagirov' may be Mir Jafar Bagirov, or another Bagirov; 'Reza
Pahlavi' may be the Shah or his father). Every pair is tried with the other spelling as a
display name and as a variant name. The seed records' spellings are here (Derakhshani /
Darakhshani, Bagirov / Bagriov, Pishevari / Pishavari, Ghavam / Qavam).
"""

from documents.authorities.matching import FOLDED, LIKELY

DIFFERENT = "different"

PAIRS = [
    # Folded: case, marks, punctuation, hyphens, diacritics, Azerbaijani letters, Cyrillic.
    ("Ja'far Pishevari", "Jafar Pishevari", FOLDED, "apostrophe"),
    ("Jaʿfar Pishevari", "JAFAR PISHEVARI", FOLDED, "ayin mark and case"),
    ("M.D. Bagirov", "M. D. Bagirov", FOLDED, "punctuation of initials"),
    ("Qavam-os-Saltaneh", "Qavam os Saltaneh", FOLDED, "hyphens"),
    ("Aḥmad Qavām", "Ahmad Qavam", FOLDED, "scholarly diacritics"),
    ("Muḥammad Muṣaddiq", "Muhammad Musaddiq", FOLDED, "scholarly diacritics, Mosaddegh"),
    ("Bağırov", "Bagirov", FOLDED, "Azerbaijani g-breve and dotless i"),
    ("Mir Cəfər Bağırov", "Mir Jafar Bagirov", FOLDED, "Azerbaijani c and schwa"),
    ("Cəfər Pişəvəri", "Jafar Pishavari", FOLDED, "Azerbaijani s-cedilla"),
    ("Heydər Əliyev", "Heydar Aliyev", FOLDED, "Azerbaijani schwa, Aliyev"),
    ("Nəriman Nərimanov", "Nariman Narimanov", FOLDED, "Azerbaijani schwa, Narimanov"),
    ("Mirzə İbrahimov", "Mirza Ibrahimov", FOLDED, "Azerbaijani dotted capital I"),
    ("Молотов", "Molotov", FOLDED, "Cyrillic Molotov"),
    ("Вячеслав Молотов", "Vyacheslav Molotov", FOLDED, "Cyrillic Vyacheslav Molotov"),
    ("Сталин", "Stalin", FOLDED, "Cyrillic Stalin"),
    ("Багиров", "Bagirov", FOLDED, "Cyrillic Bagirov"),
    ("Маленков", "Malenkov", FOLDED, "Cyrillic Malenkov"),
    ("Хрущёв", "Khrushchev", FOLDED, "Cyrillic yo, Khrushchev"),
    # Likely: transliteration families.
    ("Derakhshani", "Darakhshani", LIKELY, "seed: e/a vowel"),
    ("Bagirov", "Bagriov", LIKELY, "seed: misspelling, vowel moved"),
    ("Pishevari", "Pishavari", LIKELY, "seed: e/a vowel"),
    ("Ghavam", "Qavam", LIKELY, "seed: gh/q"),
    ("Ahmad Qavam", "Ahmad Ghavam", LIKELY, "gh/q in a full name"),
    ("Qavam-os-Saltaneh", "Qavam al-Saltaneh", LIKELY, "os/al joining word"),
    ("Qavam-es-Saltaneh", "Ghavam ol-Saltaneh", LIKELY, "es/ol joining word and gh/q"),
    ("Vosugh od-Dowleh", "Vossugh-ed-Dowleh", LIKELY, "od/ed joining word, doubled s"),
    ("Mohammad Mosaddegh", "Mohammad Mossadeq", LIKELY, "gh/q and doubled s, Mosaddegh"),
    ("Mohammed Reza Pahlavi", "Mohammad Reza Pahlavi", LIKELY, "e/a vowel, the Shah"),
    ("Ali Soheili", "Ali Soheyli", LIKELY, "y/i, Soheili"),
    ("Ali Mansur", "Ali Mansour", LIKELY, "ou/u, Mansur"),
    ("Ebrahim Hakimi", "Ibrahim Hakimi", LIKELY, "initial e/i, Hakimi"),
    ("Iraj Eskandari", "Iraj Iskandari", LIKELY, "initial e/i, Eskandari"),
    ("Gholam Yahya Daneshian", "Ghulam Yahya Daneshiyan", LIKELY, "o/u and iy/i, Daneshian"),
    ("Salamollah Javid", "Salamullah Javid", LIKELY, "o/u, Javid"),
    ("Ehsanollah Khan", "Ehsanullah Khan", LIKELY, "o/u, Ehsanullah Khan"),
    ("Mirza Kuchik Khan", "Mirza Kuchak Khan", LIKELY, "i/a, Kuchik Khan"),
    ("Nikolai Yezhov", "Nikolay Ezhov", LIKELY, "y/i and initial ye/e, Yezhov"),
    ("Lavrenty Beria", "Lavrentiy Beriya", LIKELY, "y/iy and iya/ia, Beria"),
    ("Georgy Malenkov", "Georgii Malenkov", LIKELY, "y/ii, Malenkov"),
    ("Andrei Vyshinsky", "Andrey Vyshinskiy", LIKELY, "i/y and y/iy, Vyshinsky"),
    ("Vyshinsky", "Wyschinski", LIKELY, "German w and sch, Vyshinsky"),
    ("Ivan Sadchikov", "Ivan Sadtchikov", LIKELY, "French tch, Sadchikov"),
    ("Maslennikov", "Maslenikov", LIKELY, "doubled n, Maslennikov"),
    ("Anastas Mikoyan", "Anastas Mikoian", LIKELY, "y/i, Mikoyan"),
    ("Хрущёв", "Khrushchov", LIKELY, "Cyrillic yo against o, Khrushchev"),
    ("Вышинский", "Vyshinsky", LIKELY, "Cyrillic against -sky, Vyshinsky"),
    ("Джафар Пишевари", "Jafar Pishevari", LIKELY, "Cyrillic dzh against j, Pishevari"),
    ("Мир Джафар Багиров", "Mir Jafar Bagirov", LIKELY, "Cyrillic dzh, Bagirov"),
    ("قوام", "Qavam", LIKELY, "Persian script against Qavam"),
    # Likely: forms of address and order.
    ("Stalin, Joseph", "Joseph Stalin", LIKELY, "inverted name"),
    ("Stalin, I. V.", "I. V. Stalin", LIKELY, "inverted name with initials"),
    ("I. V. Stalin", "Iosif Vissarionovich Stalin", LIKELY, "initials against forenames"),
    ("Molotov, V. M.", "Vyacheslav Mikhailovich Molotov", LIKELY, "inverted initials, full"),
    ("Bagirov, Mir Jafar", "M. J. Bagirov", LIKELY, "inverted against initials"),
    ("Joseph Stalin", "Iosif Stalin", LIKELY, "English and Russian forename"),
    ("Mir Jafar Bagirov", "Mirjafar Baghirov", LIKELY, "forename joined, gh/g"),
    ("Mir Jafar Bagirov", "Jafar Bagirov", LIKELY, "a forename left out: a question"),
    ("Reza Pahlavi", "Mohammad Reza Pahlavi", LIKELY, "a question: the Shah or his father"),
    ("Pishevari", "Ja'far Pishevari", LIKELY, "surname alone"),
    ("Stalin", "I. V. Stalin", LIKELY, "surname alone against initials"),
    ("J. V. Stalin", "I. V. Stalin", LIKELY, "initial J. for Iosif (Joseph)"),
    ("J. V. Stalin", "Iosif Vissarionovich Stalin", LIKELY, "initial J. against Iosif"),
    ("J. Dzhugashvili", "Yakov Dzhugashvili", LIKELY, "initial J. for Yakov (Jakob), Stalin's son"),
    ("M. D. Bagirov", "Mir Jafar Bagirov", LIKELY, "Russian initial D. for Dzhafar"),
    ("Jafar Pishehvari", "Ja'far Pishevari", LIKELY, "Persian silent h written -eh-"),
    ("General Derakhshani", "Ali Akbar Derakhshani", LIKELY, "a rank is not a forename"),
    ("Derakhshani", "Ali Akbar Derakhshani", LIKELY, "surname alone against the full name"),
    ("Princess Ashraf", "Princess Ashraf Pahlavi", LIKELY, "title and forename, the full name"),
    # Different people who share a surname, and different surnames.
    ("Andrei Gromyko", "Anatoly Gromyko", DIFFERENT, "father and son Gromyko"),
    ("I. V. Stalin", "V. I. Stalin", DIFFERENT, "Iosif Vissarionovich and his son Vasily"),
    ("Joseph Stalin", "Vasily Stalin", DIFFERENT, "Stalin and his son"),
    ("Svetlana Alliluyeva", "Nadezhda Alliluyeva", DIFFERENT, "daughter and mother"),
    ("Lavrentiy Beria", "Sergo Beria", DIFFERENT, "Beria and his son"),
    ("Mohammad Reza Pahlavi", "Ashraf Pahlavi", DIFFERENT, "the Shah and his sister"),
    ("Ahmad Qavam", "Ebrahim Qavam", DIFFERENT, "two Qavams"),
    ("Mir Jafar Bagirov", "Kamran Bagirov", DIFFERENT, "two first secretaries"),
    ("Mohammad Mosaddegh", "Gholam Hossein Mosaddegh", DIFFERENT, "Mosaddegh and his son"),
    ("Ali Soheili", "Ali Mansur", DIFFERENT, "two prime ministers named Ali"),
    ("Bagirov", "Bagramyan", DIFFERENT, "different surnames, Bagramyan"),
    ("Malenkov", "Molotov", DIFFERENT, "different surnames, Malenkov and Molotov"),
    ("J. V. Stalin", "V. I. Stalin", DIFFERENT, "an initial J. of the other Stalin"),
    ("I. Pishevari", "Jafar Pishevari", DIFFERENT, "an initial I. does not stand for J"),
    ("Anatoly Gromyko", "Andrei Andreyevich Gromyko", DIFFERENT, "son and father in full"),
    ("Princess Ashraf", "Mohammad Reza Pahlavi", DIFFERENT, "the Shah's sister by her title"),
    ("Ashraf Pahlavi", "Shah Mohammad Reza Pahlavi", DIFFERENT, "the Shah by his title"),
    ("General Derakhshani", "General Razmara", DIFFERENT, "two generals: a rank is no name"),
]
