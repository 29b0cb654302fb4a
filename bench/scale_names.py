"""Vietnamese names for the national-scale roster (bench/generate.py): the 63
provinces before the 2025 merger, each with its departments, vertical
agencies, districts and communes, and the people tasks are assigned to."""

PROVINCES = [
    ("HNI", "Hà Nội", "thành phố"), ("HCM", "Hồ Chí Minh", "thành phố"), ("HPG", "Hải Phòng", "thành phố"),
    ("DNG", "Đà Nẵng", "thành phố"), ("CTO", "Cần Thơ", "thành phố"), ("AGG", "An Giang", "tỉnh"),
    ("BRV", "Bà Rịa - Vũng Tàu", "tỉnh"), ("BGG", "Bắc Giang", "tỉnh"), ("BKN", "Bắc Kạn", "tỉnh"),
    ("BLU", "Bạc Liêu", "tỉnh"), ("BNH", "Bắc Ninh", "tỉnh"), ("BTE", "Bến Tre", "tỉnh"),
    ("BDH", "Bình Định", "tỉnh"), ("BDG", "Bình Dương", "tỉnh"), ("BPC", "Bình Phước", "tỉnh"),
    ("BTN", "Bình Thuận", "tỉnh"), ("CMU", "Cà Mau", "tỉnh"), ("CBG", "Cao Bằng", "tỉnh"),
    ("DLK", "Đắk Lắk", "tỉnh"), ("DKN", "Đắk Nông", "tỉnh"), ("DBN", "Điện Biên", "tỉnh"),
    ("DNI", "Đồng Nai", "tỉnh"), ("DTP", "Đồng Tháp", "tỉnh"), ("GLI", "Gia Lai", "tỉnh"),
    ("HGG", "Hà Giang", "tỉnh"), ("HNM", "Hà Nam", "tỉnh"), ("HTH", "Hà Tĩnh", "tỉnh"),
    ("HDG", "Hải Dương", "tỉnh"), ("HGI", "Hậu Giang", "tỉnh"), ("HBH", "Hòa Bình", "tỉnh"),
    ("HYN", "Hưng Yên", "tỉnh"), ("KHA", "Khánh Hòa", "tỉnh"), ("KGG", "Kiên Giang", "tỉnh"),
    ("KTM", "Kon Tum", "tỉnh"), ("LCU", "Lai Châu", "tỉnh"), ("LDG", "Lâm Đồng", "tỉnh"),
    ("LSN", "Lạng Sơn", "tỉnh"), ("LCI", "Lào Cai", "tỉnh"), ("LAN", "Long An", "tỉnh"),
    ("NDH", "Nam Định", "tỉnh"), ("NAN", "Nghệ An", "tỉnh"), ("NBH", "Ninh Bình", "tỉnh"),
    ("NTN", "Ninh Thuận", "tỉnh"), ("PTO", "Phú Thọ", "tỉnh"), ("PYN", "Phú Yên", "tỉnh"),
    ("QBH", "Quảng Bình", "tỉnh"), ("QNM", "Quảng Nam", "tỉnh"), ("QNI", "Quảng Ngãi", "tỉnh"),
    ("QNH", "Quảng Ninh", "tỉnh"), ("QTI", "Quảng Trị", "tỉnh"), ("STG", "Sóc Trăng", "tỉnh"),
    ("SLA", "Sơn La", "tỉnh"), ("TNH", "Tây Ninh", "tỉnh"), ("TBH", "Thái Bình", "tỉnh"),
    ("TNN", "Thái Nguyên", "tỉnh"), ("THA", "Thanh Hóa", "tỉnh"), ("TTH", "Thừa Thiên Huế", "tỉnh"),
    ("TGG", "Tiền Giang", "tỉnh"), ("TVH", "Trà Vinh", "tỉnh"), ("TQG", "Tuyên Quang", "tỉnh"),
    ("VLG", "Vĩnh Long", "tỉnh"), ("VPC", "Vĩnh Phúc", "tỉnh"), ("YBI", "Yên Bái", "tỉnh"),
]

# (code suffix, name): the province's name is added ("Sở Tư pháp tỉnh An Giang")
DEPARTMENTS = [
    ("VP", "Văn phòng UBND"), ("SNV", "Sở Nội vụ"), ("STP", "Sở Tư pháp"), ("STC", "Sở Tài chính"),
    ("SCT", "Sở Công Thương"), ("SXD", "Sở Xây dựng"), ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SYT", "Sở Y tế"), ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"), ("TTRA", "Thanh tra"), ("SDT", "Sở Dân tộc và Tôn giáo"),
    ("SNGV", "Sở Ngoại vụ"), ("BQLKKT", "Ban Quản lý các khu kinh tế"),
]
VERTICALS = [
    ("CA", "Công an"), ("THUE", "Thuế"), ("BHXH", "Bảo hiểm xã hội"), ("KBNN", "Kho bạc Nhà nước"),
    ("HQ", "Hải quan"),
]
PLACE_A = ["Tân", "An", "Long", "Phú", "Bình", "Hòa", "Thạnh", "Vĩnh", "Đông", "Tây", "Nam", "Bắc",
           "Hưng", "Phước", "Thuận", "Quảng", "Đức", "Trung", "Mỹ", "Lạc"]
PLACE_B = ["Hiệp", "Thới", "Lợi", "Hưng", "Điền", "Xuân", "Khánh", "Sơn", "Lâm", "Hải", "Định", "Lộc",
           "Thành", "Yên", "Phong", "Thịnh", "Mỹ", "Hòa", "Quang", "Tiến"]
DISTRICTS = 10  # per province
COMMUNES = 25   # per province: 15 + 5 + 10 + 25 = 55 units, 63 x 55 + the 35 of the default roster = 3,500

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Thanh", "Ngọc", "Hữu", "Thu", "Đức", "Kim"]
GIVEN = ["An", "Bảo", "Châu", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hùng", "Hương",
         "Khoa", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Tâm", "Thảo", "Trí",
         "Tuấn", "Uyên", "Vinh", "Yến"]


def place(i: int) -> str:
    """A believable two-word place name, different for i < 400."""
    return f"{PLACE_A[i % len(PLACE_A)]} {PLACE_B[(i // len(PLACE_A) + i) % len(PLACE_B)]}"


def people(n: int) -> list[str]:
    """n distinct full names."""
    names = []
    for i in range(n):
        names.append(f"{FAMILY[i % len(FAMILY)]} {MIDDLE[(i // len(FAMILY)) % len(MIDDLE)]} "
                     f"{GIVEN[(i * 7) % len(GIVEN)]}")
    return list(dict.fromkeys(names))
