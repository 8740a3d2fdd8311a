"""cbmwater: design and decision engine for coalbed-methane produced water and old-mine acid
water (Jincheng, southern Qinshui basin)."""

__version__ = "0.1.0"
