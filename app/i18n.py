"""Every string the app shows, in English and Chinese, looked up with :func:`t`.

Keys are short English identifiers.  A key missing from a language falls back to English; a key
missing altogether raises ``KeyError`` (so a typo fails the tests instead of showing nothing).
Strings may contain ``str.format`` fields, filled from ``t(key, lang, **fields)``.
"""

from __future__ import annotations

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}

STRINGS: dict[str, dict[str, str]] = {
    # ---- shared
    "language": {"en": "Language / 语言", "zh": "Language / 语言"},
    "app_name": {"en": "cbmwater", "zh": "cbmwater"},
    # ---- Home
    "home_title": {
        "en": "cbmwater — coal-bed-methane produced water",
        "zh": "cbmwater —— 煤层气采出水",
    },
    "home_intro": {
        "en": (
            "cbmwater is an engine for the water produced with coal-bed methane in the southern "
            "Qinshui basin (Jincheng, Shanxi).\n\n"
            "It reads lab reports (CSV or Excel, English or Chinese headers), checks each "
            "analysis (ion balance, TDS, hardness, SAR) and speciates every sample with PHREEQC "
            "to give saturation indices of the scale-forming minerals.\n\n"
            "Everything shown here is computed by the engine's public functions; the same "
            "results come from the command line and can be re-run in PHREEQC from the exported "
            "input file."
        ),
        "zh": (
            "cbmwater 是一个面向沁水盆地南部（山西晋城）煤层气采出水的计算引擎。\n\n"
            "它读取化验报告（CSV 或 Excel，中英文表头均可），对每个水样做质量检查"
            "（阴阳离子平衡、溶解性总固体、硬度、钠吸附比），并用 PHREEQC 做形态计算，"
            "给出易结垢矿物的饱和指数。\n\n"
            "本页面显示的结果均由引擎的公开函数计算，与命令行结果一致；"
            "导出的 PHREEQC 输入文件可在 PHREEQC 中复算。"
        ),
    },
    "home_pages": {"en": "Pages", "zh": "页面"},
    "page_characterise": {
        "en": "Characterise produced water",
        "zh": "采出水水质表征",
    },
    "page_characterise_help": {
        "en": "QA, saturation indices, Piper diagram and PHREEQC input for a set of analyses.",
        "zh": "一组水样的质量检查、饱和指数、Piper 三线图及 PHREEQC 输入文件。",
    },
    # ---- Characterise page: inputs
    "char_title": {"en": "Characterise produced water", "zh": "采出水水质表征"},
    "data_source": {"en": "Data", "zh": "数据来源"},
    "src_bundled": {
        "en": "Bundled southern Qinshui set (constructed)",
        "zh": "内置沁水盆地南部数据（构建数据）",
    },
    "src_upload": {"en": "Upload a lab file (CSV / XLSX)", "zh": "上传化验文件（CSV / XLSX）"},
    "bundled_note": {
        "en": (
            "The bundled set is **constructed representative data**: {n} analyses generated to "
            "match published basin-scale statistics of southern Qinshui CBM produced water. No "
            "row is a real laboratory analysis and no well name is a real well. Use it to try "
            "the engine, not as evidence about any well or block."
        ),
        "zh": (
            "内置数据为**构建的代表性数据**：共 {n} 个水样，按已发表的沁水盆地南部煤层气采出水"
            "统计特征生成。任何一行都不是真实化验结果，井号也不是真实井号。"
            "仅供试用本引擎，不能作为任何井或区块的依据。"
        ),
    },
    "upload_label": {"en": "Lab file (CSV, XLSX)", "zh": "化验文件（CSV、XLSX）"},
    "upload_help": {
        "en": (
            "One sample per row; a sample id column and pH are required. Headers may be English "
            "or Chinese, with units in brackets, e.g. 'Na (mg/L)' or '钠离子（mg/L）'. Columns "
            "without a unit are in mg/L."
        ),
        "zh": (
            "每行一个水样；必须有样品编号列和 pH 列。表头可为中文或英文，单位写在括号里，"
            "如 “Na (mg/L)” 或 “钠离子（mg/L）”。未注明单位的列按 mg/L 计。"
        ),
    },
    "upload_wait": {"en": "Upload a file to start.", "zh": "请上传文件。"},
    "sheet": {"en": "Excel sheet (blank = first)", "zh": "Excel 工作表（留空 = 第一个）"},
    "options": {"en": "Options", "zh": "计算选项"},
    "database": {"en": "PHREEQC database", "zh": "PHREEQC 数据库"},
    "database_help": {
        "en": "phreeqc.dat (default), pitzer.dat for brines, wateq4f.dat for trace elements.",
        "zh": "phreeqc.dat（默认）；高盐水用 pitzer.dat；微量元素用 wateq4f.dat。",
    },
    "censored": {"en": "Below-detection values", "zh": "低于检出限的数据"},
    "censored_help": {
        "en": "How a '<DL' cell enters the calculation.",
        "zh": "“<检出限” 数据参与计算的方式。",
    },
    "censored_half": {"en": "half the detection limit", "zh": "取检出限的一半"},
    "censored_zero": {"en": "zero", "zh": "取零"},
    "censored_limit": {"en": "the detection limit", "zh": "取检出限"},
    "charge_balance": {"en": "Charge balance on", "zh": "电荷平衡调整项"},
    "charge_balance_help": {
        "en": "Let PHREEQC adjust one ion (or pH) to balance charge. Default: none (as measured).",
        "zh": "由 PHREEQC 调整某一离子（或 pH）使电荷平衡。默认：不调整（按实测）。",
    },
    "none": {"en": "none", "zh": "不调整"},
    "irrigation": {"en": "Irrigation: adjusted SAR", "zh": "灌溉用水：校正钠吸附比"},
    "irrigation_help": {
        "en": "Also compute the FAO-29 adjusted SAR (a second PHREEQC run).",
        "zh": "同时计算 FAO-29 校正钠吸附比（需再运行一次 PHREEQC）。",
    },
    "running": {"en": "Running QA and PHREEQC speciation…", "zh": "正在进行质量检查和 PHREEQC 形态计算……"},
    "error_input": {"en": "The file cannot be used: {msg}", "zh": "文件无法使用：{msg}"},
    # ---- Characterise page: outputs
    "summary": {
        "en": "{n} samples · database {db} · cbmwater {ver} · IPhreeqc {iph}",
        "zh": "{n} 个水样 · 数据库 {db} · cbmwater {ver} · IPhreeqc {iph}",
    },
    "qa_heading": {"en": "Quality check", "zh": "质量检查"},
    "qa_caption": {
        "en": (
            "Ion balance in % of (cations + anions) in meq/L; TDS in mg/L; hardness and "
            "alkalinity in mg/L as CaCO3; SAR in (meq/L)^0.5. Rows with a warning are yellow, "
            "flagged rows red."
        ),
        "zh": (
            "离子平衡误差为阴阳离子毫克当量（meq/L）总和的百分数；溶解性总固体单位 mg/L；"
            "硬度和碱度以 CaCO3 计，单位 mg/L；钠吸附比单位 (meq/L)^0.5。"
            "黄色行有警告，红色行被标记。"
        ),
    },
    "n_ok": {"en": "ok", "zh": "合格"},
    "n_warning": {"en": "warning", "zh": "警告"},
    "n_flag": {"en": "flag", "zh": "标记"},
    "si_heading": {"en": "Saturation indices", "zh": "饱和指数"},
    "si_caption": {
        "en": (
            "SI = log10(IAP/K), dimensionless: > 0 supersaturated (may precipitate / scale), "
            "< 0 undersaturated, 0 at equilibrium. Blank where the database lacks the mineral "
            "or the analysis lacks an element. Ionic strength in mol/kgw; log pCO2 in log10(atm)."
        ),
        "zh": (
            "饱和指数 SI = log10(IAP/K)，无量纲：> 0 过饱和（可能沉淀结垢），< 0 未饱和，"
            "= 0 平衡。数据库无该矿物或水样缺少相应元素时为空。离子强度单位 mol/kgw；"
            "log pCO2 单位 log10(atm)。"
        ),
    },
    "piper_heading": {"en": "Piper diagram", "zh": "Piper 三线图"},
    "piper_caption": {
        "en": "Percentages of the cation and anion sums in meq/L; colour = water type.",
        "zh": "阳离子、阴离子毫克当量（meq/L）总和的百分数；颜色表示水化学类型。",
    },
    "si_chart_heading": {"en": "Scaling minerals by sample", "zh": "各水样易结垢矿物饱和指数"},
    "si_chart_y": {"en": "Saturation index SI (log IAP/K)", "zh": "饱和指数 SI（log IAP/K）"},
    "si_chart_x": {"en": "Sample", "zh": "水样"},
    "si_chart_zero": {"en": "SI = 0 (equilibrium)", "zh": "SI = 0（平衡）"},
    "si_chart_caption": {
        "en": (
            "SI = log10(IAP/K), dimensionless. Above the dashed line the water is "
            "supersaturated with the mineral (scaling possible); below it, undersaturated."
        ),
        "zh": "SI = log10(IAP/K)，无量纲。虚线以上为过饱和（可能结垢），以下为未饱和。",
    },
    "mineral": {"en": "Mineral", "zh": "矿物"},
    "downloads_heading": {"en": "Downloads", "zh": "下载"},
    "dl_csv": {"en": "Records (CSV)", "zh": "结果（CSV）"},
    "dl_json": {"en": "Records + provenance (JSON)", "zh": "结果及来源信息（JSON）"},
    "dl_xlsx": {"en": "Records (Excel)", "zh": "结果（Excel）"},
    "dl_pqi": {"en": "PHREEQC input (.pqi)", "zh": "PHREEQC 输入文件（.pqi）"},
    "dl_caption": {
        "en": "The .pqi file re-runs the speciation in PHREEQC 3 with the database named in it.",
        "zh": ".pqi 文件可在 PHREEQC 3 中用文件内注明的数据库复算形态计算。",
    },
    "provenance": {"en": "Provenance", "zh": "来源信息"},
    # ---- column labels (units in every header)
    "col_sample_id": {"en": "Sample", "zh": "水样编号"},
    "col_charge_balance_pct": {"en": "Ion balance (%)", "zh": "离子平衡误差 (%)"},
    "col_tds_mg_L": {"en": "TDS (mg/L)", "zh": "溶解性总固体 (mg/L)"},
    "col_hardness_mg_L_CaCO3": {"en": "Hardness (mg/L as CaCO3)", "zh": "总硬度 (mg/L，以 CaCO3 计)"},
    "col_alkalinity_mg_L_CaCO3": {
        "en": "Alkalinity (mg/L as CaCO3)", "zh": "总碱度 (mg/L，以 CaCO3 计)"},
    "col_sar": {"en": "SAR ((meq/L)^0.5)", "zh": "钠吸附比 SAR ((meq/L)^0.5)"},
    "col_sar_adjusted": {"en": "Adjusted SAR ((meq/L)^0.5)", "zh": "校正钠吸附比 ((meq/L)^0.5)"},
    "col_rsc_meq_L": {"en": "RSC (meq/L)", "zh": "残余碳酸钠 RSC (meq/L)"},
    "col_water_type": {"en": "Water type", "zh": "水化学类型"},
    "col_qa_flag": {"en": "QA", "zh": "质量"},
    "col_warnings": {"en": "Warnings", "zh": "警告信息"},
    "col_pH": {"en": "pH", "zh": "pH"},
    "col_temp_C": {"en": "T (°C)", "zh": "温度 (°C)"},
    "col_ionic_strength": {"en": "Ionic strength (mol/kgw)", "zh": "离子强度 (mol/kgw)"},
    "col_log_pCO2": {"en": "log pCO2 (log10 atm)", "zh": "log pCO2 (log10 atm)"},
    "col_phreeqc_percent_error": {
        "en": "PHREEQC charge error (%)", "zh": "PHREEQC 电荷误差 (%)"},
    "si_unit": {"en": "SI (log IAP/K)", "zh": "SI (log IAP/K)"},
    # ---- minerals
    "min_Calcite": {"en": "Calcite", "zh": "方解石"},
    "min_Aragonite": {"en": "Aragonite", "zh": "文石"},
    "min_Dolomite": {"en": "Dolomite", "zh": "白云石"},
    "min_Siderite": {"en": "Siderite", "zh": "菱铁矿"},
    "min_Rhodochrosite": {"en": "Rhodochrosite", "zh": "菱锰矿"},
    "min_Strontianite": {"en": "Strontianite", "zh": "菱锶矿"},
    "min_Witherite": {"en": "Witherite", "zh": "毒重石"},
    "min_Barite": {"en": "Barite", "zh": "重晶石"},
    "min_Celestite": {"en": "Celestite", "zh": "天青石"},
    "min_Gypsum": {"en": "Gypsum", "zh": "石膏"},
    "min_Anhydrite": {"en": "Anhydrite", "zh": "硬石膏"},
    "min_Fluorite": {"en": "Fluorite", "zh": "萤石"},
    "min_Halite": {"en": "Halite", "zh": "石盐"},
    "min_Chalcedony": {"en": "Chalcedony", "zh": "玉髓"},
    "min_Fe(OH)3(a)": {"en": "Fe(OH)3(a)", "zh": "无定形 Fe(OH)3"},
    "min_Gibbsite": {"en": "Gibbsite", "zh": "三水铝石"},
}


def t(key: str, lang: str = "en", **fields: object) -> str:
    """The string ``key`` in ``lang`` ("en" or "zh"), with ``fields`` filled in.

    Falls back to English when ``lang`` has no entry; raises ``KeyError`` for an unknown key.
    """
    entry = STRINGS[key]
    text = entry.get(lang, entry["en"])
    return text.format(**fields) if fields else text


def mineral_name(mineral: str, lang: str = "en") -> str:
    """Display name of a PHREEQC phase (its own name when not in the table)."""
    key = f"min_{mineral}"
    return t(key, lang) if key in STRINGS else mineral
