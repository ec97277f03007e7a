"""The demo retailer's places, people and catalog, generated deterministically."""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.domain.gtin import complete_gtin

ALL = ("bopis", "ship_from_store", "returns")


@dataclass(frozen=True)
class PlaceSpec:
    code: str
    name: str
    kind: str
    city: str
    address: str
    latitude: float
    longitude: float
    capabilities: tuple[str, ...] = ALL
    daily_capacity: int = 120


WAREHOUSE = PlaceSpec(
    "WH-BHW", "Bhiwandi Central Warehouse", "warehouse", "Bhiwandi",
    "Mumbai-Nashik Highway, Bhiwandi 421302", 19.2813, 73.0483,
    ("ship_from_store", "returns"), 2000,
)  # fmt: skip

STORES = (
    PlaceSpec("BLR-01", "Bengaluru Koramangala", "store", "Bengaluru",
              "80 Feet Road, Koramangala 4th Block, Bengaluru 560034", 12.9352, 77.6245,
              (*ALL, "ship_for_pickup")),  # the demo terminal's store shows ship-for-pickup
    PlaceSpec("BLR-02", "Bengaluru Indiranagar", "store", "Bengaluru",
              "100 Feet Road, Indiranagar, Bengaluru 560038", 12.9719, 77.6412),
    PlaceSpec("MUM-01", "Mumbai Bandra West", "store", "Mumbai",
              "Linking Road, Bandra West, Mumbai 400050", 19.0596, 72.8295,
              (*ALL, "ship_for_pickup")),  # pickups it cannot fill come from WH-BHW
    PlaceSpec("DEL-01", "Delhi Connaught Place", "store", "New Delhi",
              "Inner Circle, Connaught Place, New Delhi 110001", 28.6315, 77.2167),
    PlaceSpec("CHE-01", "Chennai T. Nagar", "store", "Chennai",
              "Usman Road, T. Nagar, Chennai 600017", 13.0418, 80.2341),
    PlaceSpec("HYD-01", "Hyderabad Banjara Hills", "store", "Hyderabad",
              "Road No. 1, Banjara Hills, Hyderabad 500034", 17.4156, 78.4347),
    PlaceSpec("PUN-01", "Pune Koregaon Park", "store", "Pune",
              "North Main Road, Koregaon Park, Pune 411001", 18.5362, 73.8940),
    PlaceSpec("KOL-01", "Kolkata Park Street", "store", "Kolkata",
              "Park Street, Kolkata 700016", 22.5530, 88.3520),
    PlaceSpec("AMD-01", "Ahmedabad Navrangpura", "store", "Ahmedabad",
              "C. G. Road, Navrangpura, Ahmedabad 380009", 23.0365, 72.5611),
    PlaceSpec("JAI-01", "Jaipur C-Scheme", "store", "Jaipur",
              "Ashok Marg, C-Scheme, Jaipur 302001", 26.9124, 75.7873),
)  # fmt: skip


@dataclass(frozen=True)
class StaffSpec:
    code: str
    name: str
    role: str
    pin: str
    home: str | None  # location code; None = regional, working only at ``stores``
    stores: tuple[str, ...] = ()  # further stores this person works at (regional staff)

    @property
    def badge(self) -> str:
        return f"BADGE-{self.code}"


PINS = {"associate": "1111", "lead": "2222", "manager": "3333"}
REGION_WEST_SOUTH = ("BLR-01", "BLR-02", "MUM-01")  # M300's stores

_FIRST = ("Arjun", "Lakshmi", "Rohan", "Priya", "Vikram", "Ananya", "Karthik", "Sneha",
          "Imran", "Divya", "Aditya", "Kavya", "Rahul", "Meera", "Suresh", "Fatima",
          "Nikhil", "Pooja", "Harpreet", "Deepa")  # fmt: skip
_LAST = ("Rao", "Nair", "Sharma", "Iyer", "Reddy", "Banerjee", "Patel", "Menon", "Khan",
         "Gupta", "Joshi", "Das", "Kulkarni", "Singh", "Pillai", "Shah")  # fmt: skip


def demo_staff() -> list[StaffSpec]:
    """A100 associate and L200 lead at BLR-01, M300 regional manager of the Bengaluru and
    Mumbai stores; two per other store."""
    staff = [
        StaffSpec("A100", "Arjun Rao", "associate", PINS["associate"], "BLR-01"),
        StaffSpec("L200", "Lakshmi Nair", "lead", PINS["lead"], "BLR-01"),
        StaffSpec("M300", "Meera Iyer", "manager", PINS["manager"], None, REGION_WEST_SOUTH),
        StaffSpec("A190", "Kavya Menon", "associate", PINS["associate"], "BLR-01"),
    ]
    for n, place in enumerate((*STORES[1:], WAREHOUSE), start=1):
        first, last = _FIRST[(2 * n) % len(_FIRST)], _LAST[n % len(_LAST)]
        staff.append(StaffSpec(f"A1{n:02d}", f"{first} {last}", "associate", "1111", place.code))
        first, last = _FIRST[(2 * n + 1) % len(_FIRST)], _LAST[(n + 5) % len(_LAST)]
        staff.append(StaffSpec(f"L2{n:02d}", f"{first} {last}", "lead", "2222", place.code))
    return staff


# category -> (SKU prefix, price range in rupees, weight range g, return days, products)
CATEGORIES: dict[str, tuple[str, tuple[int, int], tuple[int, int], int, tuple[str, ...]]] = {
    "Grocery": ("GRO", (40, 900), (100, 5000), 0, (
        "Basmati Rice", "Toor Dal", "Masoor Dal", "Atta Whole Wheat", "Cold Pressed Groundnut Oil",
        "Assam Tea", "Filter Coffee Powder", "Jaggery Powder", "Rock Salt", "Poha",
        "Rava Sooji", "Besan", "Garam Masala", "Turmeric Powder", "Kashmiri Chilli Powder",
        "Cashew Nuts", "Almonds", "Mango Pickle", "Ghee", "Honey")),
    "Personal Care": ("PCR", (60, 700), (50, 800), 0, (
        "Neem Face Wash", "Aloe Vera Gel", "Coconut Hair Oil", "Herbal Shampoo",
        "Sandalwood Soap", "Toothpaste Clove", "Bamboo Toothbrush", "Body Lotion",
        "Sunscreen SPF 50", "Lip Balm", "Talcum Powder", "Shaving Cream")),
    "Home & Kitchen": ("HOM", (199, 4999), (200, 6000), 30, (
        "Steel Tiffin Box", "Pressure Cooker", "Cast Iron Tawa", "Copper Water Bottle",
        "Cotton Bedsheet", "Bath Towel", "Kadai Non-stick", "Spice Box Masala Dabba",
        "Glass Storage Jar", "Brass Diya", "Cushion Cover", "Door Mat")),
    "Electronics": ("ELE", (299, 24999), (50, 3000), 10, (
        "USB-C Charger", "Bluetooth Earbuds", "Power Bank", "LED Bulb", "Extension Board",
        "Smart Plug", "Wireless Mouse", "Keyboard", "HDMI Cable", "Ceiling Fan Regulator")),
    "Apparel": ("APP", (299, 3999), (150, 900), 30, (
        "Cotton Kurta", "Linen Shirt", "Denim Jeans", "Cotton Saree", "Chikankari Top",
        "Nehru Jacket", "Track Pants", "Polo T-Shirt", "Dupatta", "Palazzo Pants")),
    "Footwear": ("FTW", (399, 4999), (300, 1200), 30, (
        "Kolhapuri Chappal", "Running Shoes", "Leather Sandals", "Canvas Sneakers",
        "Juttis", "Flip Flops", "Formal Shoes")),
    "Stationery": ("STA", (20, 899), (20, 1500), 15, (
        "Ruled Notebook", "Gel Pens", "Geometry Box", "Sketch Pens", "Drawing Book",
        "Sticky Notes", "Highlighters", "Exam Pad")),
    "Toys & Games": ("TOY", (149, 2999), (100, 2000), 15, (
        "Wooden Puzzle", "Carrom Board", "Ludo Set", "Building Blocks", "Spinning Top",
        "Cricket Set Junior", "Chess Set")),
    "Sports": ("SPO", (199, 8999), (100, 5000), 30, (
        "Cricket Bat Kashmir Willow", "Tennis Balls", "Yoga Mat", "Badminton Racquet",
        "Shuttlecock Box", "Football", "Skipping Rope", "Dumbbell Pair")),
}  # fmt: skip

_BRANDS = ("Kaveri", "Nilgiri Naturals", "Sahyadri", "Ganga Home", "Deccan", "Thar",
           "Malabar", "Himalaya Trail", "Konkan", "Vindhya")  # fmt: skip
_VARIANTS = {
    "Grocery": ("500 g", "1 kg", "2 kg", "5 kg", "250 g", "200 g"),
    "Personal Care": ("100 ml", "200 ml", "50 g", "75 g", "150 ml"),
    "Home & Kitchen": ("Small", "Medium", "Large", "3 L", "5 L", "Set of 2"),
    "Electronics": ("Black", "White", "20 W", "65 W", "10000 mAh", "1.5 m"),
    "Apparel": ("S", "M", "L", "XL", "XXL"),
    "Footwear": ("UK 6", "UK 7", "UK 8", "UK 9", "UK 10"),
    "Stationery": ("Pack of 5", "Pack of 10", "A4", "A5", "Single"),
    "Toys & Games": ("Ages 3+", "Ages 6+", "Ages 8+", "Family"),
    "Sports": ("Junior", "Senior", "Size 5", "4 kg", "Standard"),
}

# Products whose sizes differ from their category's.
_PRODUCT_VARIANTS = {
    "Assam Tea": ("250 g", "500 g", "1 kg"),
    "Garam Masala": ("50 g", "100 g", "200 g"),
    "Turmeric Powder": ("100 g", "200 g", "500 g"),
    "Kashmiri Chilli Powder": ("100 g", "200 g", "500 g"),
    "Cold Pressed Groundnut Oil": ("500 ml", "1 L", "5 L"),
    "Ghee": ("200 ml", "500 ml", "1 L"),
    "Honey": ("250 g", "500 g", "1 kg"),
    "Bamboo Toothbrush": ("Soft", "Medium", "Pack of 4"),
    "Toothpaste Clove": ("100 g", "150 g", "200 g"),
    "Sandalwood Soap": ("75 g", "125 g", "Pack of 4"),
    "Sunscreen SPF 50": ("50 ml", "100 ml"),
    "Lip Balm": ("4.5 g", "Pack of 2"),
    "USB-C Charger": ("20 W", "33 W", "65 W"),
    "Bluetooth Earbuds": ("Black", "White", "Blue"),
    "Power Bank": ("10000 mAh", "20000 mAh"),
    "LED Bulb": ("9 W", "12 W", "Pack of 4"),
    "Extension Board": ("4 Socket", "6 Socket"),
    "Smart Plug": ("10 A", "16 A"),
    "Wireless Mouse": ("Black", "Grey"),
    "Keyboard": ("Wired", "Wireless"),
    "HDMI Cable": ("1.5 m", "3 m", "5 m"),
    "Ceiling Fan Regulator": ("Step", "Electronic"),
    "Cotton Saree": ("Red", "Maroon", "Teal", "Mustard", "Indigo"),
    "Dupatta": ("Red", "Maroon", "Teal", "Mustard", "Indigo"),
    "Ruled Notebook": ("A4", "A5", "Pack of 6"),
    "Gel Pens": ("Pack of 5", "Pack of 10"),
    "Sketch Pens": ("12 Shades", "24 Shades"),
    "Drawing Book": ("A4", "A3"),
    "Sticky Notes": ("3 x 3 in", "Pack of 5"),
    "Highlighters": ("Pack of 4", "Pack of 6"),
    "Cricket Bat Kashmir Willow": ("Size 4", "Size 6", "Full Size"),
    "Tennis Balls": ("Pack of 3", "Pack of 6"),
    "Yoga Mat": ("4 mm", "6 mm", "8 mm"),
    "Badminton Racquet": ("Junior", "Senior"),
    "Shuttlecock Box": ("Nylon", "Feather"),
    "Football": ("Size 4", "Size 5"),
    "Dumbbell Pair": ("2 kg", "4 kg", "5 kg"),
    "Pressure Cooker": ("3 L", "5 L"),
    "Steel Tiffin Box": ("2 Tier", "3 Tier"),
    "Cotton Bedsheet": ("Single", "Double", "King"),
    "Bath Towel": ("Blue", "White", "Grey"),
}

# Typical shelf price in rupees; items vary around it by brand and size.
_TYPICAL_RUPEES = {
    "Basmati Rice": 180,
    "Toor Dal": 160,
    "Masoor Dal": 120,
    "Atta Whole Wheat": 60,
    "Cold Pressed Groundnut Oil": 280,
    "Assam Tea": 220,
    "Filter Coffee Powder": 260,
    "Jaggery Powder": 90,
    "Rock Salt": 40,
    "Poha": 60,
    "Rava Sooji": 55,
    "Besan": 90,
    "Garam Masala": 85,
    "Turmeric Powder": 60,
    "Kashmiri Chilli Powder": 95,
    "Cashew Nuts": 450,
    "Almonds": 420,
    "Mango Pickle": 140,
    "Ghee": 320,
    "Honey": 240,
    "Neem Face Wash": 150,
    "Aloe Vera Gel": 160,
    "Coconut Hair Oil": 120,
    "Herbal Shampoo": 190,
    "Sandalwood Soap": 55,
    "Toothpaste Clove": 95,
    "Bamboo Toothbrush": 60,
    "Body Lotion": 230,
    "Sunscreen SPF 50": 380,
    "Lip Balm": 99,
    "Talcum Powder": 110,
    "Shaving Cream": 90,
    "Steel Tiffin Box": 650,
    "Pressure Cooker": 1900,
    "Cast Iron Tawa": 899,
    "Copper Water Bottle": 749,
    "Cotton Bedsheet": 999,
    "Bath Towel": 449,
    "Kadai Non-stick": 1199,
    "Spice Box Masala Dabba": 599,
    "Glass Storage Jar": 299,
    "Brass Diya": 349,
    "Cushion Cover": 299,
    "Door Mat": 249,
    "USB-C Charger": 899,
    "Bluetooth Earbuds": 1799,
    "Power Bank": 1399,
    "LED Bulb": 129,
    "Extension Board": 499,
    "Smart Plug": 899,
    "Wireless Mouse": 599,
    "Keyboard": 899,
    "HDMI Cable": 349,
    "Ceiling Fan Regulator": 399,
    "Cotton Kurta": 899,
    "Linen Shirt": 1499,
    "Denim Jeans": 1699,
    "Cotton Saree": 2499,
    "Chikankari Top": 1199,
    "Nehru Jacket": 1999,
    "Track Pants": 799,
    "Polo T-Shirt": 699,
    "Dupatta": 499,
    "Palazzo Pants": 749,
    "Kolhapuri Chappal": 899,
    "Running Shoes": 2499,
    "Leather Sandals": 1299,
    "Canvas Sneakers": 1199,
    "Juttis": 999,
    "Flip Flops": 299,
    "Formal Shoes": 2199,
    "Ruled Notebook": 70,
    "Gel Pens": 90,
    "Geometry Box": 150,
    "Sketch Pens": 60,
    "Drawing Book": 80,
    "Sticky Notes": 99,
    "Highlighters": 120,
    "Exam Pad": 110,
    "Wooden Puzzle": 399,
    "Carrom Board": 1899,
    "Ludo Set": 249,
    "Building Blocks": 799,
    "Spinning Top": 149,
    "Cricket Set Junior": 999,
    "Chess Set": 499,
    "Cricket Bat Kashmir Willow": 1499,
    "Tennis Balls": 299,
    "Yoga Mat": 699,
    "Badminton Racquet": 899,
    "Shuttlecock Box": 599,
    "Football": 799,
    "Skipping Rope": 199,
    "Dumbbell Pair": 1299,
}


@dataclass(frozen=True)
class ItemSpec:
    sku: str
    gtin: str
    name: str
    price_minor: int
    category: str
    weight_g: int
    return_days: int
    returnable: bool


def demo_catalog(count: int = 2400) -> list[ItemSpec]:
    """``count`` items across the categories, with valid GTIN-13s (prefix 890)."""
    rng = random.Random(890)
    names = list(CATEGORIES)
    items: list[ItemSpec] = []
    seen: set[str] = set()
    n = 0
    while len(items) < count:
        category = names[n % len(names)]
        prefix, (lo, hi), (wlo, whi), days, products = CATEGORIES[category]
        product = products[(n // len(names)) % len(products)]
        brand = _BRANDS[rng.randrange(len(_BRANDS))]
        variants = _PRODUCT_VARIANTS.get(product, _VARIANTS[category])
        variant = variants[rng.randrange(len(variants))]
        n += 1
        name = f"{brand} {product} {variant}"
        if name in seen:
            continue
        seen.add(name)
        index = len(items) + 1
        rupees = int(_TYPICAL_RUPEES.get(product, (lo + hi) // 2) * rng.uniform(0.8, 1.4))
        price = (rupees - rupees % 10 + 9) * 100 if rupees > 100 else rupees * 100
        items.append(
            ItemSpec(
                sku=f"{prefix}-{index:05d}",
                gtin=complete_gtin(f"8901234{index:05d}"),
                name=name,
                price_minor=price,
                category=category,
                weight_g=rng.randint(wlo, whi),
                return_days=days,
                returnable=days > 0,
            )
        )
    return items


def bench_catalog(count: int) -> list[ItemSpec]:
    """Many plain items for the bench profile (GTIN bodies 8909…, apart from the demo)."""
    categories = list(CATEGORIES)
    return [
        ItemSpec(
            sku=f"BN-{i:07d}",
            gtin=complete_gtin(f"8909{i:08d}"),
            name=f"Bench item {i:07d}",
            price_minor=1000 + (i * 37) % 90000,
            category=categories[i % len(categories)],
            weight_g=100 + i % 900,
            return_days=30,
            returnable=True,
        )
        for i in range(1, count + 1)
    ]


# Pickup codes of the demo and tiny pickup orders (documented in app/ledger/seed.py).
DEMO_PICKUP_CODES = {
    "T-1001": "100101",
    "WEB-240001": "240001",
    "WEB-240002": "240002",
    "APP-240003": "240003",
    "MKT-240004": "240004",
    "APP-240014": "240014",
    "WEB-240015": "240015",
    "APP-240016": "240016",
}


def hold_bins(kind: str) -> list[str]:
    """The hold-shelf bins of a new location: H-01 … H-24 in stores, none elsewhere."""
    return [f"H-{n:02d}" for n in range(1, 25)] if kind == "store" else []
