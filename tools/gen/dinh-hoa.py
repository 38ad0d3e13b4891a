#!/usr/bin/env python3
"""Writes the district example examples/dinh-hoa-2024.json (rota-campaign/1).

Định Hóa district, Thái Nguyên, 2024: one row of the district's quota table
(dinh-hoa-2024-communes.csv, next to this script) per commune. The demand of
each commune is exactly its `cccd_missing` (service cccd) and
`eid2_not_registered` (service eid2), spread over 10-25 villages, one or two
lower-secondary schools (THCS) and, in two communes, the district's
upper-secondary schools (THPT). Village rosters are not published, so the
village names, heads, counts and travel times are made up (deterministically).

Each commune has a police station (site of kind station, `commune` set) and a
commune team limited to that commune; two district teams start from the
district one-stop office in Chợ Chu and may go to every commune. Travel
entries run from each station to its villages and schools, and from the
district office to every station, the upper-secondary schools and a few halls
of Chợ Chu.

Usage: dinh-hoa.py [--communes N] [--out FILE]
With N > 23 the quota rows are used again with suffixed slugs (trung-hoi-2,
...), for benchmarks; only the default (23) output is committed.
Python 3 standard library only; the output depends on nothing but N.
"""

import argparse
import csv
import datetime
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_PATH = os.path.join(HERE, "dinh-hoa-2024-communes.csv")
DEFAULT_OUT = os.path.join(HERE, "..", "..", "examples", "dinh-hoa-2024.json")
SEED = 2024
WIDTH = 100

# Plausible names of xóm in Định Hóa (Tày and Kinh place names); the real
# rosters are not published. Names repeat across communes, as they do.
VILLAGE_NAMES = [
    "Bản Cái", "Bản Lác", "Bản Héo", "Bản Pấng", "Bản Quyên", "Bản Chát", "Bản Piềng",
    "Bản Noóng", "Bản Vèn", "Bản Màn", "Bản Nóng", "Bản Giáo", "Bản Bắc", "Bản Trang",
    "Nà Mòn", "Nà Áng", "Nà Pọ", "Nà Tấc", "Nà Chú", "Nà Lạ", "Nà Đình", "Nà Hoàng",
    "Nà Linh", "Nà Kiến", "Nà Cọ", "Nà Chà", "Nà Táp",
    "Đồng Chùa", "Đồng Mòn", "Đồng Kèn", "Đồng Dẫy", "Đồng Kệu", "Đồng Tâm", "Đồng Bản",
    "Đồng Vải", "Đồng Giang", "Đồng Hút", "Đồng Rôm", "Đồng Cháy", "Đồng Tiến", "Đồng Xe",
    "Đồng Quan", "Đồng Mưa", "Đồng Bo", "Đồng Làng", "Đồng Phương", "Đồng Đình",
    "Khuôn Lân", "Khuôn Tát", "Khuôn Quại", "Khuôn Nhò", "Khuôn Câm", "Khuôn Vạc",
    "Làng Muông", "Làng Mới", "Làng Quàn", "Làng Bòng", "Làng Lạc", "Làng Chùa", "Làng Đông",
    "Làng Hoèn", "Làng Bầng", "Làng Bèn",
    "Thẩm Rộc", "Thẩm Ngược", "Thẩm Đông", "Thẩm Kè", "Thâm Bây",
    "Khẩu Đưa", "Khau Đu", "Khau Lai", "Khau Diều",
    "Pải Lủng", "Pác Cáp", "Pác Chi", "Pác Máy", "Phiêng Tung", "Phiêng Tàm", "Phiêng Pa",
    "Cốc Lùng", "Cốc Móc", "Cốc Thông",
    "Hợp Thành", "Tân Vàng", "Tân Lập", "Tân Thành", "Tân Tiến", "Tân Hợp", "Thịnh Mỹ",
    "Quan Vân", "Quyết Thắng", "Trung Tâm", "Trung Kiên", "Hợp Tiến", "Thâm Tý",
    "Gốc Sung", "Gốc Quéo", "Gốc Thị", "Đèo Dạ", "Đèo Muồng", "Lũng Hoàn", "Lải Ngòa",
    "Văn Lang", "Tiến Thành", "Thác Dài", "Suối Bắc", "Co Quân", "Là Lẹng", "Du Nghệ",
    "Bồ Kết", "Khuân Ca", "Vũ Quý", "Bình Nguyên", "Quảng Cư", "Hồng Lĩnh", "Đình Tiến",
]
# Tổ dân phố of the town (thị trấn) Chợ Chu.
TOWN_QUARTERS = [
    "Tân Lập", "Phố Chợ", "Trung Kiên", "Hợp Thành", "Đồng Hòa", "Bãi Á", "Tân Thành",
    "Trung Tâm", "Đoàn Kết", "Quyết Thắng", "Thái Bình", "Hợp Thành 2", "Nà Chú", "Đồng Trãng",
]
# The two communes with a plan of their own reuse the villages of
# trung-hoi-2024.json and diem-mac-2024.json.
FIXED_VILLAGES = {
    "trung-hoi": ["Đồng Chùa", "Hợp Thành", "Tân Vàng", "Bản Pấng", "Gốc Sung", "Đồng Mòn",
                  "Khuôn Lân", "Nà Mòn", "Trung Tâm", "Làng Muông", "Đèo Dạ", "Bản Héo",
                  "Thẩm Rộc", "Nà Áng"],
    "diem-mac": ["Bản Quyên", "Đồng Kèn", "Pải Lủng", "Bản Chát", "Bản Piềng", "Thẩm Ngược",
                 "Khẩu Đưa", "Đồng Dẫy", "Làng Mới", "Nà Pọ", "Đồng Kệu"],
}
FIXED_SCHOOLS = {"trung-hoi": ["Trường THCS Trung Hội"], "diem-mac": ["Trường THCS Hoàng Ngân"]}
# The district's upper-secondary schools, by host commune (slug, name, short id).
THPT = {
    "cho-chu": [("thpt-dinh-hoa", "Trường THPT Định Hóa"),
                ("dtnt-dinh-hoa", "Trường PT Dân tộc nội trú THCS và THPT Định Hóa")],
    "binh-yen": [("thpt-binh-yen", "Trường THPT Bình Yên")],
}

SURNAMES = ["Nguyễn", "Ma", "Hoàng", "Nông", "Lưu", "Đinh", "Hà", "Lý", "Dương", "Trần",
            "Lương", "Triệu", "Phạm", "Mạc", "Lộc", "Bế"]
MALE = [("Văn", "Hùng"), ("Văn", "Thắng"), ("Văn", "Dũng"), ("Văn", "Tuấn"), ("Văn", "Bình"),
        ("Văn", "Sơn"), ("Văn", "Quý"), ("Đình", "Khánh"), ("Đức", "Cường"), ("Văn", "Toàn"),
        ("Văn", "Long"), ("Văn", "Vinh"), ("Minh", "Thành"), ("Văn", "Tiến"), ("Văn", "Lợi"),
        ("Xuân", "Trường"), ("Văn", "Hiếu"), ("Đức", "Thịnh")]
FEMALE = [("Thị", "Lan"), ("Thị", "Hoa"), ("Thị", "Nguyệt"), ("Thị", "Hằng"), ("Thị", "Mai"),
          ("Thị", "Thủy"), ("Thị", "Hiền"), ("Thị", "Nga"), ("Thị", "Phượng"), ("Thị", "Huệ"),
          ("Thị", "Yến"), ("Thị Thu", "Hà"), ("Thị Bích", "Ngọc"), ("Thị", "Hạnh")]

SLOTS = {
    "day": {"start": "07:30", "end": "17:00", "breaks": [["11:30", "13:30"]]},
    "evening": {"start": "18:00", "end": "21:00"},
    "weekend": {"start": "07:30", "end": "11:30"},
}
GROUPS = [
    {"id": "exam", "name": "Học sinh dự thi (sinh 2005–2009)", "priority": 1,
     "deadline": "2024-05-20", "slots": ["day", "weekend"]},
    {"id": "policy", "name": "Đối tượng chính sách", "priority": 2},
    {"id": "workers", "name": "Công nhân, người lao động", "priority": 3,
     "slots": ["evening", "weekend"]},
    {"id": "general", "name": "Công dân từ đủ 14 tuổi", "priority": 4, "deadline": "2024-12-30"},
]
ROW_ORDER = [(g, s) for g in ("exam", "policy", "workers", "general") for s in ("cccd", "eid2")]


def slugify(text):
    """ASCII slug: 'Điềm Mặc' -> 'diem-mac'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def split_commune_name(full):
    """'Thị trấn Chợ Chu' -> ('thị trấn', 'Chợ Chu'); 'Xã Quy Kỳ' -> ('xã', 'Quy Kỳ')."""
    for prefix in ("Thị trấn", "Xã"):
        if full.startswith(prefix + " "):
            return prefix.lower(), full[len(prefix) + 1:]
    return "xã", full


def spread(total, weights):
    """Splits total into len(weights) whole parts proportional to weights (largest remainder)."""
    if not weights:
        assert total == 0
        return []
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[:total - sum(parts)]:
        parts[i] += 1
    assert sum(parts) == total
    return parts


def person(rng):
    surname = rng.choice(SURNAMES)
    middle, given = rng.choice(MALE if rng.random() < 0.6 else FEMALE)
    return "%s %s %s" % (surname, middle, given)


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))


def emit(v, indent=0, prefix_len=0):
    """JSON with two-space indentation; short leaf values stay on one line."""
    pad = "  " * indent
    if not isinstance(v, (dict, list)) or not v:
        return compact(v)
    inline = compact(v)
    if indent > 0 and len(pad) + prefix_len + len(inline) + 1 <= WIDTH:
        return inline
    inner = "  " * (indent + 1)
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            key = json.dumps(k, ensure_ascii=False) + ": "
            parts.append(inner + key + emit(x, indent + 1, len(key)))
        return "{\n" + ",\n".join(parts) + "\n" + pad + "}"
    parts = [inner + emit(x, indent + 1, 0) for x in v]
    return "[\n" + ",\n".join(parts) + "\n" + pad + "]"


def read_rows():
    with open(CSV_PATH, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Commune:
    """One commune's sites, travel, team and units."""

    def __init__(self, index, row, cycle):
        self.rng = random.Random(SEED * 1000 + index)
        self.kind, self.base_name = split_commune_name(row["commune"])
        base_slug = slugify(self.base_name)
        self.first_cycle = cycle == 1
        self.slug = base_slug if self.first_cycle else "%s-%d" % (base_slug, cycle)
        self.name = self.base_name if self.first_cycle else "%s %d" % (self.base_name, cycle)
        self.full = "%s %s" % (self.kind, self.name)   # "xã Trung Hội"
        self.compact = self.slug.replace("-", "")
        self.cccd = int(row["cccd_missing"])
        self.eid2 = int(row["eid2_not_registered"])
        self.station = "ca-" + self.slug
        self.sites, self.travel, self.units = [], [], []
        self.halls = []
        self.build()

    def build(self):
        rng = self.rng
        town = self.kind == "thị trấn"
        self.sites.append({"id": self.station, "name": "Trụ sở Công an " + self.full,
                           "kind": "station", "commune": self.slug})
        # villages
        names = FIXED_VILLAGES.get(self.slug) if self.first_cycle else None
        if names is None:
            pool = TOWN_QUARTERS if town else VILLAGE_NAMES
            n = rng.randint(10, min(14, len(pool))) if town else rng.randint(10, 25)
            names = pool[:]
            rng.shuffle(names)
            names = names[:n]
        villages = []
        for vname in names:
            vslug = slugify(vname)
            site = "nvh-%s-%s" % (self.slug, vslug)
            label = ("Tổ dân phố " if town else "Xóm ") + vname
            self.sites.append({"id": site, "name": "Nhà văn hóa " + label[0].lower() + label[1:],
                               "kind": "hall", "commune": self.slug})
            self.travel.append([self.station, site, rng.randint(3, 12) if town else rng.randint(5, 25)])
            self.halls.append(site)
            contact = {"name": person(rng), "role": "Tổ trưởng tổ dân phố" if town else "Trưởng xóm"}
            if rng.random() < 0.85:
                contact["email"] = "%s.%s.%s@example.vn" % (
                    "totruong" if town else "truongxom", vslug.replace("-", ""), self.compact)
            villages.append({"id": "%s-%s" % (self.slug, vslug), "name": label, "kind": "village",
                             "site": site, "commune": self.slug, "contact": contact, "rows": {}})
        # lower-secondary schools
        school_names = FIXED_SCHOOLS.get(self.slug) if self.first_cycle else None
        if school_names is None:
            school_names = ["Trường THCS " + self.name]
            if not town and rng.random() < 0.3:
                school_names.append("Trường TH và THCS " + rng.choice(names))
        schools = []
        for k, sname in enumerate(school_names):
            # a second school is a combined primary and lower-secondary one
            site = ("thcs-" if k == 0 else "th-thcs-") + self.slug
            self.sites.append({"id": site, "name": sname, "kind": "school", "commune": self.slug,
                               "slots": ["day"], "closed": ["2024-05-13/2024-05-17"]})
            self.travel.append([self.station, site, rng.randint(3, 15)])
            schools.append({"id": "truong-%s" % site, "name": sname, "kind": "school",
                            "site": site, "commune": self.slug,
                            "contact": {"name": person(rng), "role": "Hiệu trưởng",
                                        "email": "%s%s@example.vn" % ("c2" if k == 0 else "c12", self.compact)},
                            "rows": {}})
        # upper-secondary schools hosted here (first cycle only)
        upper = []
        for site, sname in (THPT.get(self.slug, []) if self.first_cycle else []):
            self.sites.append({"id": site, "name": sname, "kind": "school", "commune": self.slug,
                               "slots": ["day", "weekend"],
                               "closed": ["2024-06-01/2024-06-30"]})
            self.travel.append([self.station, site, rng.randint(3, 15)])
            upper.append({"id": "truong-" + site, "name": sname, "kind": "school", "site": site,
                          "commune": self.slug,
                          "contact": {"name": person(rng), "role": "Hiệu trưởng",
                                      "email": "c3%s@example.vn" % site.replace("-", "")},
                          "rows": {}})
        self.spread_demand(villages, schools, upper)
        for u in schools + upper + villages:
            rows = u.pop("rows")
            u["demand"] = [{"group": g, "service": s, "count": rows[(g, s)]}
                           for g, s in ROW_ORDER if rows.get((g, s), 0) > 0]
            self.units.append(u)

    def spread_demand(self, villages, schools, upper):
        rng = self.rng
        nv = len(villages)

        def add(units, group, service, counts):
            for u, n in zip(units, counts):
                if n:
                    u["rows"][(group, service)] = u["rows"].get((group, service), 0) + n

        def some(k):
            return rng.sample(villages, min(k, nv))

        def weights(k):
            return [rng.uniform(0.5, 1.5) for _ in range(k)]

        c, e = self.cccd, self.eid2
        # exam (priority 1): upper-secondary pupils at the THPT, lower-secondary
        # pupils at the THCS, a few (schooled elsewhere) in the villages
        thpt_exam = [rng.randint(18, 30) for _ in upper]
        exam = round(c * rng.uniform(0.28, 0.38))
        school_exam = round(exam * rng.uniform(0.65, 0.8))
        add(upper, "exam", "cccd", thpt_exam)
        add(schools, "exam", "cccd", spread(school_exam, weights(len(schools))))
        village_exam = exam - school_exam
        picked = some(max(1, round(nv * 0.4)))
        add(picked, "exam", "cccd", spread(village_exam, weights(len(picked))))
        # policy (2), workers (3), small shares in a few villages
        policy_c = round(c * rng.uniform(0.05, 0.09))
        picked = some(max(1, round(nv * 0.3)))
        add(picked, "policy", "cccd", spread(policy_c, weights(len(picked))))
        workers_c = round(c * rng.uniform(0.04, 0.08))
        workers_villages = some(rng.randint(2, 4))
        add(workers_villages, "workers", "cccd", spread(workers_c, weights(len(workers_villages))))
        # general (4): the rest of the card demand
        general_c = c - sum(thpt_exam) - exam - policy_c - workers_c
        assert general_c >= 0, self.slug
        add(villages, "general", "cccd", spread(general_c, weights(nv)))
        # e-ID level 2 for card holders: pupils with a card at the schools,
        # then policy, workers and everyone else in the villages
        school_e = [rng.randint(15, 60) for _ in schools]
        upper_e = [rng.randint(40, 120) for _ in upper]
        add(schools, "general", "eid2", school_e)
        add(upper, "general", "eid2", upper_e)
        policy_e = round(e * rng.uniform(0.03, 0.06))
        picked = some(max(1, round(nv * 0.3)))
        add(picked, "policy", "eid2", spread(policy_e, weights(len(picked))))
        workers_e = round(e * rng.uniform(0.08, 0.15))
        add(workers_villages, "workers", "eid2", spread(workers_e, weights(len(workers_villages))))
        general_e = e - sum(school_e) - sum(upper_e) - policy_e - workers_e
        assert general_e >= nv, self.slug
        add(villages, "general", "eid2", spread(general_e, weights(nv)))


def build(ncommunes):
    rows = read_rows()
    communes = [Commune(i, rows[i % len(rows)], i // len(rows) + 1) for i in range(ncommunes)]
    slugs = [c.slug for c in communes]
    assert len(set(slugs)) == len(slugs)
    rng = random.Random(SEED)
    office = "mot-cua-huyen"
    sites = [{"id": office, "name": "Bộ phận một cửa UBND huyện Định Hóa", "kind": "station",
              "commune": "cho-chu"}]
    travel = []
    teams = []
    units = []
    for c in communes:
        sites += c.sites
        travel += c.travel
        units += c.units
        # the district office is in Chợ Chu, next to the town's police station
        if c.slug == "cho-chu":
            travel.append([office, c.station, 3])
            for hall in c.halls[:4]:
                travel.append([office, hall, rng.randint(3, 10)])
        else:
            travel.append([office, c.station, rng.randint(10, 45)])
        for s in c.sites:
            if s["id"].startswith(("thpt-", "dtnt-")):
                travel.append([office, s["id"], rng.randint(3, 25)])
        team = {"id": "to-" + c.slug, "name": "Tổ thu nhận Công an " + c.full, "base": c.station,
                "capacity": {"cccd": 30, "eid2": 70}, "slots": ["day", "evening", "weekend"],
                "communes": [c.slug], "max_extra_per_week": c.rng.choice([1, 2])}
        if c.rng.random() < 0.5:
            # a training or duty week, Monday to Friday, June to November
            team["unavailable"] = [week_range(c.rng.randint(0, 25))]
        team["email"] = "to.%s@example.vn" % c.compact
        teams.append(team)
    all_slugs = slugs
    teams += [
        {"id": "to-huyen-1", "name": "Tổ cấp lưu động số 1, Công an huyện Định Hóa", "base": office,
         "capacity": {"cccd": 30, "eid2": 70}, "slots": ["day", "evening", "weekend"],
         "officers": 3, "communes": all_slugs, "max_extra_per_week": 2,
         "unavailable": ["2024-07-15/2024-07-18"], "email": "luudong1.dinhhoa@example.vn"},
        {"id": "to-huyen-2", "name": "Tổ cấp lưu động số 2, Công an huyện Định Hóa", "base": office,
         "capacity": {"cccd": 30, "eid2": 70}, "slots": ["day", "evening", "weekend"],
         "officers": 3, "communes": all_slugs, "max_extra_per_week": 2,
         "unavailable": ["2024-10-07/2024-10-11"], "email": "luudong2.dinhhoa@example.vn"},
    ]
    suffix = "" if ncommunes == 23 else "-%d" % ncommunes
    return {
        "format": "rota-campaign/1",
        "campaign": {
            "id": "dinh-hoa-2024" + suffix,
            "name": "Cấp thẻ Căn cước công dân và định danh điện tử huyện Định Hóa năm 2024"
                    + ("" if ncommunes == 23 else " (mô phỏng %d xã)" % ncommunes),
            "start": "2024-03-04", "end": "2024-12-30", "timezone": "Asia/Ho_Chi_Minh",
            "organizer": {"name": "Công an huyện Định Hóa", "email": "congan.dinhhoa@example.vn"},
        },
        "calendar": {
            "workdays": ["mon", "tue", "wed", "thu", "fri"],
            "holidays": ["2024-04-18", "2024-04-27/2024-05-01", "2024-08-31/2024-09-03"],
            "extra_workdays": ["2024-05-04"],
            "slots": SLOTS,
        },
        "services": {
            "cccd": {"name": "Thu nhận hồ sơ cấp thẻ Căn cước"},
            "eid2": {"name": "Đăng ký, kích hoạt định danh điện tử mức 2"},
        },
        "groups": GROUPS,
        "sites": sites,
        "travel": travel,
        "teams": teams,
        "fixed": [
            # the district police keep a fixed day at the one-stop office;
            # no Friday of the campaign is a holiday
            {"team": "to-huyen-1", "site": office, "slot": "day", "weekday": "fri",
             "from": "2024-03-08", "to": "2024-12-27"},
        ],
        "units": units,
    }


def week_range(week):
    """Monday-Friday range of the week-th week after the one of 2024-06-03."""
    monday = datetime.date(2024, 6, 3) + datetime.timedelta(weeks=week)
    return "%s/%s" % (monday.isoformat(), (monday + datetime.timedelta(days=4)).isoformat())


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--communes", type=int, default=23, metavar="N",
                    help="number of communes (default 23; more cycles the quota table)")
    ap.add_argument("--out", default=DEFAULT_OUT, metavar="FILE",
                    help="output file, '-' for standard output (default: examples/dinh-hoa-2024.json)")
    args = ap.parse_args(argv)
    if args.communes < 1:
        ap.error("--communes must be at least 1")
    doc = build(args.communes)
    text = emit(doc) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
