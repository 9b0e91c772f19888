"""Names and places: given names by tradition, sex and cohort, their spellings, streets, dusun."""

from __future__ import annotations

from .randomness import Pick


def _names(text: str) -> list[str]:
    """Names separated by commas (a name may have several words)."""
    return [n.strip() for n in text.split(",") if n.strip()]


# --- Names ----------------------------------------------------------------------------------
# Pools by tradition, sex and birth cohort (old: before 1975, mid: 1975-1994, new: 1995 on).
# Written in modern spelling; old spelling, abbreviations and honorifics are applied afterwards.

NAMES: dict[tuple[str, str, str], list[str]] = {
    ("bugis", "L", "old"): _names(
        "Baharuddin, Syamsuddin, Jamaluddin, Hasanuddin, Kamaruddin, Nurdin, Haruna, Sanusi, "
        "Sampara, Baso, Baco, Mappiare, Mappaita, Lamba, Ambo Tang, Ambo Dalle, Ambo Upe, "
        "La Tenri, La Baco, Sahabuddin, Arsyad, Abdullah, Muhammad Said, Muhammad Yusuf, "
        "Abdul Rahman, Abdul Hamid, Abdul Karim, Ahmad, Hamzah, Mustafa, Patahuddin, Sudirman, "
        "Lahamid, Lasiman, Bakri, Hafid, Saharuddin, Zainuddin, Muhammad Amin, Puang Lalo, "
        "Tahir, Salahuddin, Syarifuddin, Makmur, Rustam, Rasyid, Mansyur, Basri, Jufri"
    ),
    ("bugis", "P", "old"): _names(
        "Siti Aminah, Siti Hadijah, Siti Rahmah, Siti Maryam, Hasnah, Hasniah, Becce, Besse, "
        "Cicci, Indo Tang, Indo Upe, Nurhaedah, Nurhayati, Nurjannah, Ramlah, Rahmatia, Haerani, "
        "Halimah, Salmah, Hadijah, Jumriah, Nuraeni, Siti Nurbaya, Mariam, Saenab, Sitti Jawiah, "
        "Marawiah, Hamsiah, Saleha, Rukiah, Darawisa, Subaedah, Sanneng, Tenri, Bunga, Hawang, "
        "Fatimah, Aisyah, Nurmiati, Baderiah, Sukmawati, Hasmiah, Kasmawati, Mida"
    ),
    ("bugis", "L", "mid"): _names(
        "Syahrir, Irfan, Arif, Andi Irwan, Syamsul, Rusli, Asri, Asdar, Mursalim, Muhammad Yusuf, "
        "Sahrul, Rahmat, Sukri, Ridwan, Muhammad Arsyad, Muhammad Idris, Abdul Rahman, Hasbi, "
        "Ilham, Amiruddin, Akbar, Syahrul, Irwan, Jumadi, Nasrullah, Anwar, Hendra, Muhammad Ali, "
        "Abdul Azis, Kaharuddin, Muhammad Tahir, Saiful, Firman, Alimuddin, Fadli, Mustari"
    ),
    ("bugis", "P", "mid"): _names(
        "Hasmawati, Nurhaedah, Hasriani, Jumrah, Sartika, Wahyuni, Mirnawati, Kasmawati, Sumarni, "
        "Rahmawati, Nurdiana, Fitriani, Irma, Nurmala, Herlina, Hasnawati, Ernawati, Sitti Hajar, "
        "Nurlina, Rosmiati, Suriani, Asmawati, Hartati, Nurbaya, Syamsiah, Haslinda, Sukmawati, "
        "Mardiana, Rismawati, Nur Asia, Sitti Rahma, Murniati, Darmawati, Nurhayati, Sahariah"
    ),
    ("bugis", "L", "new"): _names(
        "Muhammad Nur, Muhammad Syarif, Asrul, Awal, Ical, Herman, Sahrul, Fadli Akbar, "
        "Muhammad Agung, Muhammad Taufik, Rahmat Hidayat, Syamsul Alam, Jufri, Hasrul, Alimuddin, "
        "Anugrah, Ahmad Fadil, Akhyar, Haerul, Muhammad Adnan, Muhammad Iksan, Nur Hidayat, "
        "Muhammad Rizky, Muhammad Fadli, Ahmad Fauzan, Rizal, Fajar, Ilham, Andika, Fikri, Alif, "
        "Rafi, Akbar, Aqil, Rayyan, Muhammad Al Fatih, Arkan, Haikal, Farhan, Wahyu, Nur Alim, "
        "Muhammad Ikhsan, Muhammad Ridwan, Muhammad Rahman, Muhammad Iqbal, Muhammad Fahri, "
        "Andi Muhammad Rafli, Reski, Ardiansyah, Syahrul Ramadhan, Aldi, Gilang, Taufik, Muhammad "
        "Nur Fajri, Zulfikar, Abdul Rahman, Muhammad Arfah, Sultan, Rafly, Muhammad Yusuf"
    ),
    ("bugis", "P", "new"): _names(
        "Andi Tenri, Nurfadilah, Ismi, Nur Alfiah, Asmaul Husna, Nur Insani, Sri Rahayu, "
        "Nurhidayah, Fitriana, Nurul Qalbi, Hasmirah, Rosdiana, Hikmawati, Nuraini, Sulfiani, "
        "Ratna Sari, Nurjannah, Wahyuni, Widya, Kiki Amelia, Nurul Fitri, Andi Reski, "
        "Nurul Fadilah, Nurul Hidayah, Aisyah Putri, Nabila, Zahra, Azzahra, Keisya, Aqila, "
        "Salsabila, Putri, Nur Aisyah, Nur Hikmah, Sitti Nurhaliza, Andi Nurul, Reski Amalia, "
        "Nur Fadillah, Nurhalisa, Alya, Khairunnisa, Ainun, Nur Azizah, Rahmadani, Aulia, "
        "Adelia, Syahrani, Nurul Izzah, Sitti Aisyah, Nur Afni, Wulandari, Nurfitriani, Annisa"
    ),
    ("makassar", "L", "old"): _names(
        "Rahman, Sija, Tompo, Kebo, Baso, Muhammad Said, Abdul Rahman, Hamzah, Nasir, Mangung, "
        "Sampara, Sangkala, Karaeng, Lalang, Rurung, Beddu, Mappi, Muhammad Ali, Abdul Latif, "
        "Mustari, Sahabuddin, Nurdin, Syamsuddin, Jamaluddin, Muhammad Thahir, Abdul Jalil, "
        "Bahtiar, Ramli, Hamid, Mattewakkang, Ngalle, Sattu, Sirajuddin, Muhammad Arif, Dalle"
    ),
    ("makassar", "P", "old"): _names(
        "Sitti, Sitti Nurung, Bunga, Saripa, Cammu, Sompa, Ngai, Rannu, Sitti Jamilah, Hadijah, "
        "Jumaerah, Intang, Caya, Baji, Hasnah, Kartini, Nurung, Sitti Rahmah, Rosmini, Halijah, "
        "Saenab, Sitti Hawa, Kamariah, Tiro, Sanneng, Mina, Saniasa, Bungko, Rabiah, Nurmi"
    ),
    ("makassar", "L", "mid"): _names(
        "Syamsul Bahri, Ramli, Zainal, Sulaiman, Muhammad Ramli, Abdul Rahim, Rusdi, Amir, "
        "Jumaling, Arifin, Sahabuddin, Kamaruddin, Muhammad Rusli, Hasbullah, Ilyas, Muhammad "
        "Nasir, Ismail, Ahmad Rahman, Rahman, Muhammad Rahman, Rustan, Haerul, Saharuddin, Rahmat"
    ),
    ("makassar", "P", "mid"): _names(
        "Nurhayati, Hasnah, Rosmini, Nurbaeti, Sitti Aminah, Ramlah, Rahmatia, Marlina, Nursiah, "
        "Hasmawati, Suhartini, Jumiati, Nurjannah, Rusmini, Nurliah, Kasmawati, Darmawati, Murni"
    ),
    ("makassar", "L", "new"): _names(
        "Ahmad Yusran, Fadel, Rifki, Muhammad Asrul, Aswar, Akmal, Nur Ikhsan, Muhammad Arham, "
        "Zulkarnain, Rusdianto, Muhammad Aidil, Ardi, Syahril, Irwan Saputra, Muhammad Amri, "
        "Wildan, Ansar, Agung, Muhammad Reski, Muhammad Syahrul, Firdaus, Haidir, Sahrir, "
        "Muhammad Rizal, Muhammad Rahman, Rahmat Hidayat, Muhammad Fikri, Muhammad Akbar, Ikhsan, "
        "Alfian, Rifaldi, Irsyad, Muhammad Fajar, Syahrul, Muh Nur, Muhammad Alif, Ahmad Dani, "
        "Resky, Muhammad Farhan, Hidayat, Muhammad Arya, Ilham Saputra, Muhammad Ilham"
    ),
    ("makassar", "P", "new"): _names(
        "Fadhila, Nurul Azizah, Sitti Hardianti, Nur Rezki, Ayu Lestari, Hasrianti, Fitri Ayu, "
        "Nur Fitriani, Risnawati, Ulfa, Nur Wahida, Mutmainnah, Husnul Khatimah, Asriani, "
        "Nurul Aulia, Irmayanti, Indah Sari, Nur Qalbi, Anugrah, Sakinah, Nur Ilmi, Marwah, "
        "Nurul Hikmah, Sitti Nurhaliza, Nur Aisyah, Nur Annisa, Putri Ramadhani, Wahyuni, "
        "Rahmawati, Nurfadillah, Riska, Sri Wahyuni, Nur Hidayah, Nurhalisa, Annisa, Aisyah, "
        "Nabila Putri, Azizah, Nur Sakinah, Zaskia, Nurul Izzah"
    ),
    ("jawa", "L", "old"): _names(
        "Sutrisno, Suparman, Slamet, Sugeng, Wagiman, Sukardi, Suharto, Sumarno, Joko Susilo, "
        "Bambang Sutrisno, Heru, Budi Santoso, Tukijo, Paijo, Sarmin, Suyanto, Subagyo, Purwanto, "
        "Mulyono, Gatot, Warsito, Kusnadi, Cahyo, Sukarno, Suwarno, Sujadi, Sukiman, Sunarto, "
        "Marjuki, Karyo, Wiryo, Harjono, Sutarjo, Muhammad Sholeh, Ahmad Yani, Sujono, Darmaji"
    ),
    ("jawa", "P", "old"): _names(
        "Sri Wahyuni, Sri Rahayu, Endang, Suparmi, Sumiati, Tukiyem, Painem, Sulastri, "
        "Siti Aminah, Wartini, Sunarti, Yuliati, Rukmini, Kasiyem, Ngatini, Suwarni, Lestari, "
        "Tri Handayani, Sumini, Jumiyem, Sukinah, Rumiyati, Siti Khotijah, Sutini, Paniyem, "
        "Marsinah, Warsiti"
    ),
    ("jawa", "L", "mid"): _names(
        "Agus, Budi, Eko Prasetyo, Dedi, Joko, Bambang, Hadi Susanto, Teguh, Yudi, Rudi Hartono, "
        "Agus Salim, Wahyu, Dwi Cahyono, Heri, Andi Setiawan, Sugiyanto, Imam, Slamet Riyadi, "
        "Muhammad Arifin, Ahmad Fauzi, Nur Hadi, Triyono, Suryadi, Hendro"
    ),
    ("jawa", "P", "mid"): _names(
        "Sri Lestari, Dwi Astuti, Endah, Wulan, Yuni, Ratna, Dewi Susanti, Tri Wahyuni, Nur Aini, "
        "Siti Fatimah, Puji Rahayu, Retno, Winarti, Kusmiati, Lilik, Sumarni, Nurhayati, Eni"
    ),
    ("jawa", "L", "new"): _names(
        "Muhammad Rizky, Dimas, Bagas, Aditya, Arya, Satria, Galih, Yoga Pratama, Rendi, Reza, "
        "Muhammad Fauzan, Dafa, Raka, Bayu, Danu, Rizky Saputra, Fahmi, Naufal, Muhammad Rafi"
    ),
    ("jawa", "P", "new"): _names(
        "Dewi, Ayu Lestari, Putri, Anisa, Amelia, Nadia, Salsabila, Dinda, Intan, Aulia Rahma, "
        "Tiara, Nur Aini, Siti Nurhaliza, Zahra, Keisya, Aqila, Larasati, Nabila, Syifa"
    ),
    ("sunda", "L", "old"): _names(
        "Asep, Ujang, Dadang, Cecep, Encep, Yayat, Entis, Dede, Ade, Atang, Ukar, Odih, Engkus, "
        "Uhen, Enjang, Oman, Maman, Udin, Apandi, Endang, Usep, Abdul Rohman, Muhammad Soleh"
    ),
    ("sunda", "P", "old"): _names(
        "Euis, Cucu, Neneng, Iis, Imas, Enok, Entin, Eti, Nining, Popon, Yati, Dedeh, Lilis, "
        "Nenden, Enah, Onah, Iyah, Ijah, Tati, Oom, Siti Rohmah, Aisah"
    ),
    ("sunda", "L", "mid"): _names(
        "Asep Saepudin, Iwan Setiawan, Deden, Dodi, Yana, Rudi, Hendra, Agus, Dadan, Ujang Sopian, "
        "Aep, Dani, Wawan, Yusuf, Heri, Dedi Mulyadi"
    ),
    ("sunda", "P", "mid"): _names(
        "Neng Yuli, Rina, Leni, Yeni, Euis Kurniasih, Elis, Tuti, Nia, Lina, Rini, Siti Nurjanah, "
        "Wiwin, Ai, Nurlela, Dewi"
    ),
    ("sunda", "L", "new"): _names(
        "Rizki, Fajar, Ilham, Raffi, Ridwan, Muhammad Fauzi, Gilang, Rangga, Jajang, Farhan, "
        "Zidan, Rafa, Muhammad Rafli"
    ),
    ("sunda", "P", "new"): _names(
        "Neng Salsa, Putri, Rahma, Siti Nurjanah, Nabila, Zahra, Syifa, Alya, Nisa, Intan, Sinta"
    ),
    ("melayu", "L", "old"): _names(
        "Rahmat, Syahrul, Zulkifli, Hasan Basri, Ismail, Ibrahim, Yusuf, Abdullah, Hamzah, "
        "Ridwan, Zainal Abidin, Syafruddin, Nasrun, Azhar, Amiruddin, Muhammad Nur, Usman, "
        "Harun, Abdul Majid, Muhammad Daud, Jamal, Kasim, Muhammad Yunus, Ali Akbar"
    ),
    ("melayu", "P", "old"): _names(
        "Nurhayati, Fatimah, Aisyah, Rosmawati, Zubaidah, Nurlela, Rosita, Yusniar, Hafsah, "
        "Mariana, Syamsiah, Rahmawati, Siti Zaleha, Rohani, Maimunah, Khadijah, Jamilah, Asiah"
    ),
    ("melayu", "L", "mid"): _names(
        "Hendra, Rudi, Irwan, Syahrial, Zulfahmi, Fauzi, Andi, Riko, Firdaus, Syaiful, Muhammad "
        "Rizal, Effendi, Ahmad Zaki, Hasbi, Khairul, Dedi"
    ),
    ("melayu", "P", "mid"): _names(
        "Nurul, Rina, Fitri, Yanti, Desi, Lina, Rosdiana, Nurmala, Hasanah, Mutia, Erna, Juliana, "
        "Sri Mulyani, Rahmah, Nur Aini"
    ),
    ("melayu", "L", "new"): _names(
        "Muhammad Alif, Muhammad Rizki, Fadil, Rafi, Aqil, Haikal, Zikri, Fadhlan, Rayhan, "
        "Muhammad Hafiz, Arif, Naufal, Muhammad Raihan"
    ),
    ("melayu", "P", "new"): _names(
        "Nurul Aini, Aisyah, Zahra, Nabila, Khairunnisa, Aqila, Syakira, Nayla, Putri, Cut Intan, "
        "Nur Azizah, Sabrina, Kayla"
    ),
}

# Makassar "paddaengang": the name used after "Daeng" ("Rahman Dg. Ngawing").
DAENG_NAMES = _names(
    "Ngawing, Nai, Ngalle, Kebo, Bunga, Sese, Tayang, Ngerang, Nompo, Rannu, Sibali, Tompo, Sija, "
    "Ngasseng, Bau, Caya, Intang, Te'ne, Baji, Lino, Ngai, Rowa, Lele, Sompa, Tutu, Gassing, "
    "Jarung, Sikki, Mangung, Rurung, Ma'ja, Sangnging, Ngemba, Puji"
)
COMPOUND_HEADS = frozenset({"Muhammad", "Abdul", "Ahmad", "Siti", "Sitti", "Nur", "Andi"})
DEGREES = [", S.Pd.", ", S.E.", ", S.Sos.", ", S.Kep.", ", S.H.", ", S.T.", ", S.Pd.I", ", S.Ag."]

# Spelling variants of whole tokens, with weights (the first is the common form).
VARIANTS: dict[str, Pick] = {
    "Muhammad": Pick(
        {"Muhammad": 48, "Muhamad": 10, "Mohammad": 7, "Mohamad": 4, "Moh.": 9, "Muh.": 13,
         "M.": 6, "Mochammad": 2}
    ),
    "Siti": Pick({"Siti": 60, "Sitti": 28, "St.": 9, "Sity": 3}),
    "Sitti": Pick({"Sitti": 70, "Siti": 22, "St.": 8}),
    "Nur": Pick({"Nur": 82, "Noor": 12, "Nurr": 1, "Nour": 5}),
    "Abdul": Pick({"Abdul": 78, "Abd.": 16, "Abd": 3, "Abdoel": 3}),
    "Rahman": Pick({"Rahman": 72, "Rachman": 14, "Rakhman": 4, "Rahmang": 5, "Rohman": 5}),
    "Ahmad": Pick({"Ahmad": 72, "Achmad": 16, "Akhmad": 6, "Ahmat": 6}),
    "Yusuf": Pick({"Yusuf": 75, "Yusup": 12, "Jusuf": 8, "Yusuff": 5}),
    "Hadijah": Pick({"Hadijah": 60, "Khadijah": 25, "Hadija": 15}),
    "Fatimah": Pick({"Fatimah": 65, "Fatima": 15, "Patimah": 15, "Fatma": 5}),
    "Aisyah": Pick({"Aisyah": 70, "Aisah": 18, "Aisya": 12}),
    "Andi": Pick({"Andi": 82, "A.": 18}),
    "Rizky": Pick({"Rizky": 50, "Rizki": 30, "Riski": 10, "Reski": 5, "Rezky": 5}),
    "Said": Pick({"Said": 85, "Sahid": 15}),
    "Nurhayati": Pick({"Nurhayati": 85, "Noorhayati": 8, "Nurhayaty": 7}),
    "Hasanuddin": Pick({"Hasanuddin": 70, "Hasanudin": 30}),
    "Syamsuddin": Pick({"Syamsuddin": 55, "Syamsudin": 25, "Samsuddin": 12, "Sjamsuddin": 8}),
    "Jamaluddin": Pick({"Jamaluddin": 70, "Jamaludin": 30}),
    "Baharuddin": Pick({"Baharuddin": 70, "Baharudin": 30}),
    "Kamaruddin": Pick({"Kamaruddin": 70, "Kamarudin": 30}),
    "Syarifuddin": Pick({"Syarifuddin": 60, "Syarifudin": 25, "Sjarifuddin": 15}),
    "Zainal": Pick({"Zainal": 80, "Zainul": 20}),
    "Rahmat": Pick({"Rahmat": 80, "Rachmat": 15, "Rakhmat": 5}),
}  # fmt: skip
OLD_SPELLING_POOLS = frozenset({"jawa", "sunda", "melayu"})
ETHNIC_MIX: dict[str, Pick] = {
    "73": Pick({"bugis": 46, "makassar": 36, "jawa": 7, "melayu": 9, "sunda": 2}),
    "76": Pick({"bugis": 60, "makassar": 10, "jawa": 15, "melayu": 15}),
    "74": Pick({"bugis": 35, "makassar": 10, "jawa": 20, "melayu": 35}),
    "72": Pick({"bugis": 30, "makassar": 5, "jawa": 20, "melayu": 45}),
    "31": Pick({"jawa": 40, "sunda": 22, "melayu": 32, "bugis": 4, "makassar": 2}),
    "32": Pick({"sunda": 70, "jawa": 18, "melayu": 12}),
    "36": Pick({"sunda": 60, "jawa": 25, "melayu": 15}),
    "33": Pick({"jawa": 90, "sunda": 2, "melayu": 8}),
    "34": Pick({"jawa": 92, "melayu": 8}),
    "35": Pick({"jawa": 88, "melayu": 12}),
}
DEFAULT_ETHNIC_MIX = Pick({"melayu": 65, "jawa": 25, "sunda": 4, "bugis": 4, "makassar": 2})

SULSEL_PLACES = _names(
    "Makassar, Gowa, Bone, Pangkep, Barru, Takalar, Jeneponto, Bulukumba, Sinjai, Soppeng, Wajo, "
    "Sidrap, Pinrang, Enrekang, Palopo, Parepare, Selayar, Bantaeng, Luwu, Toraja, Kendari, Palu, "
    "Mamuju, Balikpapan, Samarinda, Jakarta, Surabaya, Nunukan, Tawau"
)
OTHER_PLACES = _names(
    "Jakarta, Surabaya, Bandung, Medan, Semarang, Makassar, Palembang, Yogyakarta, Malang, Bogor, "
    "Padang, Pekanbaru, Banjarmasin, Pontianak, Solo, Cirebon, Tasikmalaya, Kediri, Jember"
)
STREETS = _names(
    "Poros Maros, Jend. Sudirman, Ahmad Yani, Sultan Hasanuddin, Sultan Alauddin, "
    "Andi Pangerang Pettarani, Dr. Ratulangi, Pendidikan, Kartini, Diponegoro, Perintis "
    "Kemerdekaan, Lanraki, Poros Moncongloe, Dr. Wahidin, Ahmad Dahlan, Veteran, Merdeka, "
    "Bougenville, Cendrawasih, Rajawali, Masjid Raya, Pahlawan, Nusantara, Pattimura, "
    "Andi Mappanyukki, Kemakmuran, Garuda, Teuku Umar, Gatot Subroto, Sam Ratulangi, Mawar, Melati"
)
DUSUN_WORDS = _names(
    "Bontoa, Bonto Tangnga, Kampung Beru, Borong, Lempangang, Parang, Pattene, Tamalate, "
    "Bontomanai, Bulu, Allaere, Kassi, Pakalli, Lekopancing, Samanggi, Bonto Bunga, Lappara, "
    "Moncongloe, Tanete, Barambang, Biringkaloro, Sanrangan, Baddo, Kalukuang, Pa'bentengang, "
    "Bontoparang, Jene'tallasa, Campagaya, Cambaya, Laikang, Galesong, Panaikang, Talasa, "
    "Kaemba, Tompo Balang, Sampeang, Leppangeng, Tallasa, Patte'ne, Balla Lompoa, Tombolo"
)
PERUMAHAN = _names("Griya Asri, Bumi Permata, Villa Mutiara, Taman Sari, Graha Indah, BTN Pepabri")


_OLD = str.maketrans({"u": "oe", "j": "dj", "y": "j", "c": "tj", "U": "Oe", "J": "Dj", "Y": "J",
                      "C": "Tj"})  # fmt: skip


def _old_spelling(token: str) -> str:
    """Van Ophuijsen/Soewandi spelling of a modern token: Suharto → Soeharto, Cahyo → Tjahjo."""
    if token.endswith("."):
        return token
    return token.translate(_OLD)


def _short_regency(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota Administrasi ", "Kota ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
