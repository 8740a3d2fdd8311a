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
    "redox": {"en": "Redox basis (Fe valence)", "zh": "氧化还原基准（铁价态）"},
    "redox_help": {
        "en": (
            "How each water's redox state enters PHREEQC; the ion balance counts Fe at the same "
            "valence. Fe(II): total Fe without a redox statement is ferrous (anoxic produced "
            "water, the default). Fixed pe: total Fe split between Fe(II) and Fe(III) by that "
            "pe (pe 4 is PHREEQC's default and the old behaviour). Measured: each sample's "
            "Fe2/Fe3, else ORP (Eh vs SHE, mV), else dissolved oxygen. Measured Fe2/Fe3 are "
            "always used as given."
        ),
        "zh": (
            "各水样的氧化还原状态如何输入 PHREEQC；离子平衡按相同的铁价态计算。"
            "Fe(II)：未说明氧化还原状态的总铁按亚铁计（缺氧的采出水，默认）。"
            "指定 pe：按该 pe 将总铁分配为 Fe(II) 和 Fe(III)（pe 4 为 PHREEQC 默认值，即旧算法）。"
            "实测：采用各水样的 Fe2/Fe3，其次为氧化还原电位（相对标准氢电极的 Eh，mV），"
            "再次为溶解氧。实测的 Fe2/Fe3 总是按原值使用。"
        ),
    },
    "redox_fe2": {"en": "Fe(II): total Fe is ferrous", "zh": "Fe(II)：总铁按亚铁计"},
    "redox_pe": {"en": "Fixed pe", "zh": "指定 pe"},
    "redox_measured": {
        "en": "Measured (Fe2/Fe3, ORP or DO)",
        "zh": "实测（Fe2/Fe3、氧化还原电位或溶解氧）",
    },
    "redox_pe_value": {"en": "pe (dimensionless)", "zh": "pe（无量纲）"},
    "redox_caption": {
        "en": "Redox basis: {basis} (the sentence for each sample is in the QA table).",
        "zh": "氧化还原基准：{basis}（各水样的说明见质量检查表）。",
    },
    "running": {
        "en": "Running QA and PHREEQC speciation…",
        "zh": "正在进行质量检查和 PHREEQC 形态计算……",
    },
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
            "or the analysis lacks an element (Fe(OH)3(a) is blank when all Fe is Fe(II)). "
            "Ionic strength in mol/kgw; log pCO2 in log10(atm)."
        ),
        "zh": (
            "饱和指数 SI = log10(IAP/K)，无量纲：> 0 过饱和（可能沉淀结垢），< 0 未饱和，"
            "= 0 平衡。数据库无该矿物或水样缺少相应元素时为空（铁全部为 Fe(II) 时 Fe(OH)3(a) 为空）。"
            "离子强度单位 mol/kgw；"
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
    "col_hardness_mg_L_CaCO3": {
        "en": "Hardness (mg/L as CaCO3)",
        "zh": "总硬度 (mg/L，以 CaCO3 计)",
    },
    "col_alkalinity_mg_L_CaCO3": {
        "en": "Alkalinity (mg/L as CaCO3)",
        "zh": "总碱度 (mg/L，以 CaCO3 计)",
    },
    "col_sar": {"en": "SAR ((meq/L)^0.5)", "zh": "钠吸附比 SAR ((meq/L)^0.5)"},
    "col_sar_adjusted": {"en": "Adjusted SAR ((meq/L)^0.5)", "zh": "校正钠吸附比 ((meq/L)^0.5)"},
    "col_rsc_meq_L": {"en": "RSC (meq/L)", "zh": "残余碳酸钠 RSC (meq/L)"},
    "col_water_type": {"en": "Water type", "zh": "水化学类型"},
    "col_qa_flag": {"en": "QA", "zh": "质量"},
    "col_redox_basis": {"en": "Redox basis", "zh": "氧化还原基准"},
    "col_warnings": {"en": "Warnings", "zh": "警告信息"},
    "col_pH": {"en": "pH", "zh": "pH"},
    "col_temp_C": {"en": "T (°C)", "zh": "温度 (°C)"},
    "col_ionic_strength": {"en": "Ionic strength (mol/kgw)", "zh": "离子强度 (mol/kgw)"},
    "col_log_pCO2": {"en": "log pCO2 (log10 atm)", "zh": "log pCO2 (log10 atm)"},
    "col_phreeqc_percent_error": {"en": "PHREEQC charge error (%)", "zh": "PHREEQC 电荷误差 (%)"},
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
    "min_SiO2(a)": {"en": "SiO2(a)", "zh": "无定形二氧化硅"},
    # ---- Home: link to the Treatment page
    "page_treatment": {"en": "Treatment train", "zh": "处理工艺"},
    "page_treatment_help": {
        "en": (
            "Simulate and cost a train of unit processes on one sample: water quality stage by "
            "stage, membrane recovery limit by scaling, residuals, energy and LCOW."
        ),
        "zh": "对单个水样模拟并核算一套处理工艺：逐级水质、结垢限制下的膜回收率、残余物、能耗及单位产水成本。",
    },
    # ---- Treatment page: inputs
    "treat_title": {"en": "Treatment train", "zh": "处理工艺"},
    "water_heading": {"en": "Water", "zh": "进水"},
    "sample": {"en": "Sample", "zh": "水样"},
    "sample_help": {
        "en": "The analysis fed to the train (one sample of the file).",
        "zh": "作为工艺进水的水样（文件中的一个水样）。",
    },
    "flow": {"en": "Feed flow (m³/d)", "zh": "进水流量 (m³/d)"},
    "flow_help": {
        "en": "Design flow of the plant; capital cost scales with it.",
        "zh": "设计处理规模；投资随规模变化。",
    },
    "train_heading": {"en": "Treatment train", "zh": "处理工艺流程"},
    "starter": {"en": "Start from a candidate train", "zh": "从候选工艺流程开始"},
    "starter_help": {
        "en": (
            "Trains built stage by stage from the unit library's stage table that every "
            "precedence rule allows (pretreatment, then optional conditioning and desalting). "
            "Picking one replaces the units below."
        ),
        "zh": "按单元库的工段表逐段组合、且满足全部先后顺序规则的工艺流程（预处理，然后可选的调理和脱盐）。选择后将替换下方的处理单元。",
    },
    "starter_placeholder": {"en": "Choose a train…", "zh": "请选择工艺流程……"},
    "train_units": {"en": "Units in order of flow", "zh": "处理单元（按水流顺序）"},
    "train_units_help": {
        "en": (
            "The water passes the units in the order shown; a unit you add goes to the end. "
            "To move a unit, remove it and add it again."
        ),
        "zh": "水按所示顺序依次通过各单元；新添加的单元排在最后。如需调整顺序，请删除后重新添加。",
    },
    "target_pH": {"en": "Target pH of pH adjustment (-)", "zh": "pH 调节目标值 (-)"},
    "target_pH_help": {
        "en": "About 6-6.5 ahead of RO/NF keeps carbonate from scaling; 7 for a final correction.",
        "zh": "反渗透/纳滤前约 6-6.5 可防止碳酸盐结垢；出水回调取 7。",
    },
    "train_order": {"en": "Train: {train}", "zh": "工艺流程：{train}"},
    "error_empty_train": {"en": "Pick at least one unit.", "zh": "请至少选择一个处理单元。"},
    "error_order": {"en": "This train cannot be built: {msg}", "zh": "该工艺流程不成立：{msg}"},
    "error_run": {"en": "The calculation cannot be done: {msg}", "zh": "无法完成计算：{msg}"},
    "econ_heading": {"en": "Economics", "zh": "经济参数"},
    "elec_price": {"en": "Electricity price (CNY/kWh)", "zh": "电价 (元/kWh)"},
    "discount_pct": {"en": "Discount rate (%/yr)", "zh": "折现率 (%/年)"},
    "life_yr": {"en": "Plant life (yr)", "zh": "设计寿命 (年)"},
    "econ_caption": {
        "en": (
            "Defaults from cbmwater/databases/treatment/economics.toml: {elec:g} CNY/kWh, {rate:g} %/yr, "
            "{life:g} yr. All money in CNY of {year}."
        ),
        "zh": "默认值取自 cbmwater/databases/treatment/economics.toml：{elec:g} 元/kWh、{rate:g} %/年、{life:g} 年。所有金额均为 {year} 年价格的人民币。",
    },
    "running_treat": {
        "en": "Simulating the train (PHREEQC for chemistry and scaling) and costing it…",
        "zh": "正在模拟处理工艺（PHREEQC 计算化学反应与结垢）并核算费用……",
    },
    # ---- Treatment page: outputs
    "treat_summary": {
        "en": "Sample {sample} · feed {flow:g} m³/d · cbmwater {ver} · money in CNY of {year}",
        "zh": "水样 {sample} · 进水 {flow:g} m³/d · cbmwater {ver} · 金额为 {year} 年价格人民币",
    },
    "results_heading": {"en": "Results", "zh": "计算结果"},
    "m_recovery": {"en": "Recovery (% of feed)", "zh": "回收率（占进水 %）"},
    "m_product": {"en": "Product water (m³/d)", "zh": "产水量 (m³/d)"},
    "m_energy": {"en": "Energy (kWh/m³ product)", "zh": "能耗 (kWh/m³ 产水)"},
    "m_capex": {"en": "CAPEX (CNY, {year} prices)", "zh": "投资 (元，{year} 年价格)"},
    "m_opex": {"en": "OPEX (CNY/yr)", "zh": "运行费用 (元/年)"},
    "m_lcow": {"en": "LCOW (CNY/m³, {year} prices)", "zh": "单位产水成本 (元/m³，{year} 年价格)"},
    "metrics_caption": {
        "en": (
            "LCOW = (CAPEX × CRF + OPEX) / product water per year; CRF = {crf:.4f} 1/yr. "
            "Annualised cost {ann:,.0f} CNY/yr. Energy {kwh:,.0f} kWh/d in total."
        ),
        "zh": "单位产水成本 = (投资 × 资本回收系数 + 运行费用) / 年产水量；资本回收系数 = {crf:.4f} 1/年。年化费用 {ann:,.0f} 元/年。总能耗 {kwh:,.0f} kWh/d。",
    },
    "limit_heading": {"en": "Membrane recovery limit (scaling)", "zh": "膜系统回收率限制（结垢）"},
    "rec_limited": {
        "en": (
            "**{unit}: recovery limited to {rec:.2f} by {mineral}** (SI allowance {allow:g} with "
            "antiscalant; design maximum {design:.2f})."
        ),
        "zh": "**{unit}：回收率受 {mineral} 限制，为 {rec:.2f}**（投加阻垢剂时允许饱和指数 {allow:g}；设计最大值 {design:.2f}）。",
    },
    "rec_not_limited": {
        "en": (
            "{unit}: recovery {rec:.2f} = design maximum; no mineral reaches its SI allowance in "
            "the concentrate."
        ),
        "zh": "{unit}：回收率 {rec:.2f}，即设计最大值；浓水中没有矿物达到其允许饱和指数。",
    },
    "si_limit_title": {
        "en": "Concentrate SI at the limit: {unit}",
        "zh": "限制回收率下浓水饱和指数：{unit}",
    },
    "si_limit_y": {"en": "Saturation index SI (log IAP/K)", "zh": "饱和指数 SI（log IAP/K）"},
    "si_at_limit": {"en": "SI at the recovery limit", "zh": "限制回收率下的 SI"},
    "si_allowance": {"en": "SI allowance (with antiscalant)", "zh": "允许 SI（投加阻垢剂）"},
    "si_limit_caption": {
        "en": (
            "The concentrate is modelled by removing water in PHREEQC (full rejection). The "
            "recovery limit is where the first mineral reaches its SI allowance."
        ),
        "zh": "在 PHREEQC 中以去除水分模拟浓水（全截留）。回收率上限即第一种矿物达到其允许饱和指数时的回收率。",
    },
    "stage_heading": {"en": "Water quality stage by stage", "zh": "逐级水质"},
    "policy_heading": {
        "en": "What each unit assumes: CO2 exchange, redox, solids",
        "zh": "各单元的化学假设：CO2 交换、氧化还原、固体去向",
    },
    "col_policy_co2": {"en": "CO2 exchange", "zh": "CO2 交换"},
    "col_policy_redox": {"en": "Redox", "zh": "氧化还原"},
    "col_policy_solids": {"en": "Solids", "zh": "固体去向"},
    "policy_caption": {
        "en": "Policies and their sources: docs/chemistry_redox.md, "
        "docs/chemistry_membranes.md, docs/chemistry_iron_coagulant.md, "
        "docs/chemistry_thermal.md, docs/chemistry_ion_exchange.md (the policy sentences "
        "are the engine's, "
        "in English).",
        "zh": "假设及其来源见 docs/chemistry_redox.md、docs/chemistry_membranes.md、"
        "docs/chemistry_iron_coagulant.md、docs/chemistry_thermal.md、"
        "docs/chemistry_ion_exchange.md（假设说明"
        "为引擎原文，英文）。",
    },
    "log_y": {"en": "Logarithmic concentration axis", "zh": "浓度轴取对数"},
    "stage_chart_y": {
        "en": "Concentration at the stage outlet (mg/L)",
        "zh": "单元出水浓度 (mg/L)",
    },
    "stage_chart_x": {"en": "Stage (outlet)", "zh": "处理单元（出水）"},
    "constituent": {"en": "Constituent", "zh": "组分"},
    "tds_sum": {"en": "TDS (sum)", "zh": "溶解性总固体（加和）"},
    "stage_caption": {
        "en": (
            "Concentrations in mg/L at the outlet of each stage (product side). TDS (sum) = sum "
            "of the dissolved constituents with HCO3 in full (Hem 1985). The table has one column "
            "per stream: the feed, then the product side of each stage."
        ),
        "zh": "各单元出水（产水侧）浓度，mg/L。溶解性总固体（加和）= 各溶解组分之和，HCO3 全计（Hem 1985）。表中每列为一股水：进水及各单元产水。",
    },
    "feed": {"en": "Feed", "zh": "进水"},
    "col_stage": {"en": "Stage (#)", "zh": "序号"},
    "col_quantity": {"en": "Quantity (unit)", "zh": "项目（单位）"},
    "col_unit": {"en": "Unit", "zh": "单元"},
    "col_name": {"en": "Name", "zh": "名称"},
    "col_flow_m3_d": {"en": "Flow (m³/d)", "zh": "流量 (m³/d)"},
    "col_recovery": {"en": "Stage recovery (-)", "zh": "单元回收率 (-)"},
    "col_energy_kWh_d": {"en": "Energy (kWh/d)", "zh": "能耗 (kWh/d)"},
    "col_mg_L": {"en": "{name} (mg/L)", "zh": "{name} (mg/L)"},
    "cost_heading": {"en": "Annual cost by unit", "zh": "各单元年费用"},
    "cost_chart_y": {
        "en": "Annual cost (CNY/yr, {year} prices)",
        "zh": "年费用 (元/年，{year} 年价格)",
    },
    "cost_chart_x": {"en": "Unit", "zh": "单元"},
    "cost_category": {"en": "Category", "zh": "费用类别"},
    "cost_caption": {
        "en": (
            "CNY/yr at {year} prices. Capital is annualised with the capital recovery factor; "
            "replacement is of membranes and media; brine disposal is the hauling of liquid "
            "concentrate off site."
        ),
        "zh": "单位：元/年（{year} 年价格）。投资按资本回收系数年化；更换费指膜及滤料更换；浓水处置指将液态浓水外运处置。",
    },
    "cat_capital": {"en": "Capital", "zh": "投资（年化）"},
    "cat_electricity": {"en": "Electricity", "zh": "电费"},
    "cat_chemicals": {"en": "Chemicals", "zh": "药剂费"},
    "cat_replacement": {"en": "Replacement", "zh": "膜及滤料更换"},
    "cat_labour": {"en": "Labour", "zh": "人工费"},
    "cat_maintenance": {"en": "Maintenance", "zh": "维修费"},
    "cat_sludge_disposal": {"en": "Sludge disposal", "zh": "污泥处置"},
    "cat_hazardous_salt_disposal": {"en": "Hazardous salt disposal", "zh": "杂盐危废处置"},
    "cat_brine_disposal": {"en": "Brine disposal", "zh": "浓水处置"},
    "cat_backwash_disposal": {"en": "Backwash disposal", "zh": "反洗水处置"},
    "cat_total": {"en": "Total", "zh": "合计"},
    "chem_heading": {"en": "Chemicals", "zh": "药剂消耗"},
    "col_chemical": {"en": "Chemical", "zh": "药剂"},
    "col_kg_d": {"en": "Dose (kg/d, active)", "zh": "用量 (kg/d，有效成分)"},
    "no_chemicals": {"en": "No chemicals are dosed.", "zh": "不投加药剂。"},
    "resid_heading": {"en": "Residuals", "zh": "残余物（污泥、浓水等）"},
    "col_res_name": {"en": "Residual", "zh": "残余物"},
    "col_res_unit": {"en": "From unit", "zh": "来源单元"},
    "col_kind": {"en": "Kind", "zh": "类型"},
    "col_res_flow": {"en": "Liquid flow (m³/d)", "zh": "液体流量 (m³/d)"},
    "col_dry_kg_d": {"en": "Dry solids (kg/d)", "zh": "干固体 (kg/d)"},
    "col_wet_m3_d": {"en": "Wet sludge (m³/d)", "zh": "湿污泥 (m³/d)"},
    "col_treated_by": {"en": "Treated by", "zh": "后续处理单元"},
    "leaves_plant": {"en": "— (leaves the plant)", "zh": "—（外排出厂）"},
    "kind_brine": {"en": "brine", "zh": "浓水"},
    "kind_sludge": {"en": "sludge", "zh": "污泥"},
    "kind_backwash": {"en": "backwash", "zh": "反冲洗水"},
    "kind_spent_media": {"en": "spent media", "zh": "废滤料"},
    "kind_gas": {"en": "gas", "zh": "气体"},
    "resid_caption": {
        "en": (
            "Evaporated water: {evap:,.1f} m³/d. Wet sludge volume at the unit's cake solids "
            "fraction (0 for liquid residuals). 'Treated by' names the unit that takes the "
            "residual; otherwise it leaves the plant and is costed as disposal."
        ),
        "zh": "蒸发水量：{evap:,.1f} m³/d。湿污泥体积按该单元泥饼含固率计（液体残余物为 0）。“后续处理单元”为接收该残余物的单元；否则外排出厂并计入处置费。",
    },
    "warnings_heading": {"en": "Warnings", "zh": "警告"},
    "no_warnings": {"en": "No warnings.", "zh": "无警告。"},
    "dl_treat_json": {"en": "Result (JSON)", "zh": "计算结果（JSON）"},
    "dl_stage_csv": {"en": "Stage table (CSV)", "zh": "逐级水质表（CSV）"},
    "dl_treat_caption": {
        "en": "The JSON holds the engine's full result (every stage, residual, cost and provenance).",
        "zh": "JSON 文件包含引擎的完整结果（各单元、残余物、费用及来源信息）。",
    },
    # ---- Home: reinjection link
    "page_reinjection": {"en": "Reinjection review", "zh": "回注审查"},
    "page_reinjection_help": {
        "en": "A regulator's review of a reinjection proposal: injection-water standard, "
        "mixing compatibility (scaling) and isolation from protected aquifers, with a "
        "verdict.",
        "zh": "回注方案的审查：注入水水质标准、混合配伍性（结垢）及与保护含水层的隔离，并给出结论。",
    },
    # ---- Reinjection page
    "rj_title": {"en": "Reinjection review", "zh": "回注审查"},
    "rj_intro": {
        "en": "Review a proposal to reinject produced water: the injectate against SY/T 5329, "
        "PHREEQC mixing of injectate and formation water at formation temperature and "
        "pressure, and the separation from protected aquifers.",
        "zh": "审查采出水回注方案：注入水对照 SY/T 5329，用 PHREEQC 在地层温度和压力下计算注入水与"
        "地层水的混合，并检查与保护含水层的间距。",
    },
    "rj_source": {"en": "Proposal", "zh": "回注方案"},
    "rj_src_example": {"en": "Bundled example", "zh": "内置示例"},
    "rj_src_upload": {"en": "Upload a proposal (TOML)", "zh": "上传方案（TOML）"},
    "rj_example": {"en": "Example proposal", "zh": "示例方案"},
    "rj_upload_toml": {"en": "Proposal file (.toml)", "zh": "方案文件（.toml）"},
    "rj_upload_toml_help": {
        "en": "Waters inline (pH = 8.1, Na = 650 ...) or as file + sample_id of a lab CSV.",
        "zh": "水质可直接写入（pH = 8.1、Na = 650 ……），或以 file + sample_id 引用化验 CSV。",
    },
    "rj_upload_csv": {
        "en": "Lab CSV the proposal references (optional)",
        "zh": "方案引用的化验 CSV（可选）",
    },
    "rj_upload_csv_help": {
        "en": "Saved beside the proposal under the file name the proposal gives.",
        "zh": "按方案中给出的文件名保存在方案旁。",
    },
    "rj_upload_wait": {
        "en": "Upload a proposal TOML to review it.",
        "zh": "请上传方案 TOML 文件以进行审查。",
    },
    "rj_running": {"en": "Reviewing (PHREEQC mixing) …", "zh": "正在审查（PHREEQC 混合计算）……"},
    "rj_error": {"en": "The proposal cannot be reviewed: {msg}", "zh": "无法审查该方案：{msg}"},
    "rj_verdict_heading": {"en": "Verdict", "zh": "审查结论"},
    "rj_verdict_pass": {"en": "PASS", "zh": "通过"},
    "rj_verdict_conditional": {"en": "CONDITIONAL", "zh": "有条件通过"},
    "rj_verdict_fail": {"en": "FAIL", "zh": "不通过"},
    "rj_verdict_line": {"en": "Verdict: {verdict}", "zh": "审查结论：{verdict}"},
    "rj_verdict_help_pass": {
        "en": "Every limit is met, no mineral precipitates on mixing and the isolation is "
        "sufficient.",
        "zh": "各项限值均满足，混合时无矿物沉淀，隔离距离足够。",
    },
    "rj_verdict_help_conditional": {
        "en": "Acceptable only under the conditions below.",
        "zh": "仅在满足下列条件时可接受。",
    },
    "rj_verdict_help_fail": {
        "en": "At least one finding fails (see the findings table).",
        "zh": "至少一项审查结果不合格（见审查结果表）。",
    },
    "rj_proposal_caption": {
        "en": "{title} — {formation}, {depth:g} m, {temp:g} °C, {pres:g} bar, k = {perm:g} µm² "
        "(SY/T 5329 class {cls}), {vol:g} m³/d.",
        "zh": "{title} —— {formation}，{depth:g} m，{temp:g} °C，{pres:g} bar，k = {perm:g} µm²"
        "（SY/T 5329 类别 {cls}），{vol:g} m³/d。",
    },
    "rj_conditions": {"en": "Conditions", "zh": "附加条件"},
    "rj_no_conditions": {"en": "No conditions.", "zh": "无附加条件。"},
    "rj_findings": {"en": "Findings", "zh": "审查结果"},
    "rj_col_code": {"en": "Code", "zh": "代码"},
    "rj_col_severity": {"en": "Severity", "zh": "严重程度"},
    "rj_col_message": {"en": "Message", "zh": "说明"},
    "rj_col_evidence": {"en": "Evidence", "zh": "依据数据"},
    "rj_col_clause": {"en": "Clause / basis", "zh": "条款 / 依据"},
    "rj_col_condition": {"en": "Condition", "zh": "条件"},
    "rj_sev_info": {"en": "info", "zh": "信息"},
    "rj_sev_warning": {"en": "warning", "zh": "警告"},
    "rj_sev_fail": {"en": "fail", "zh": "不合格"},
    "rj_findings_caption": {
        "en": "Messages and evidence are the engine's own (English).",
        "zh": "说明与依据数据为引擎原文（英文）。",
    },
    "rj_mixing": {"en": "Mixing curves", "zh": "混合曲线"},
    "rj_si_chart_title": {
        "en": "Saturation index at formation T and P",
        "zh": "地层温度、压力下的饱和指数",
    },
    "rj_si_chart_y": {"en": "Saturation index SI", "zh": "饱和指数 SI"},
    "rj_scale_chart_title": {"en": "Scale formed on mixing", "zh": "混合时生成的垢"},
    "rj_scale_chart_y": {"en": "Scale (mg per L of mixture)", "zh": "垢量（mg/L 混合水）"},
    "rj_scale_total": {"en": "Total scale", "zh": "总垢量"},
    "rj_mix_x": {"en": "Injectate fraction of the mixture", "zh": "混合水中注入水比例"},
    "rj_mix_caption": {
        "en": "SI > 0 (above the dotted line): supersaturated. Scale is the equilibrium "
        "precipitate of the supersaturated minerals: an upper bound (no kinetics, no "
        "inhibitor).",
        "zh": "SI > 0（虚线以上）为过饱和。垢量为过饱和矿物的平衡沉淀量，是上限估计"
        "（不考虑动力学和阻垢剂）。",
    },
    "rj_assumptions": {"en": "Assumptions", "zh": "假设条件"},
    "rj_provenance": {"en": "Inputs hash and versions", "zh": "输入哈希与版本"},
    "rj_inputs_hash": {"en": "Inputs hash (SHA-256): `{h}`", "zh": "输入哈希（SHA-256）：`{h}`"},
    "rj_downloads": {"en": "Downloads", "zh": "下载"},
    "rj_dl_html": {"en": "Review report (HTML)", "zh": "审查报告（HTML）"},
    "rj_dl_pqi": {"en": "PHREEQC input (.zip)", "zh": "PHREEQC 输入文件（.zip）"},
    "rj_dl_caption": {
        "en": "The HTML report is self-contained (works offline). The .zip holds the .pqi of the "
        "mixing calculation and a README on running it in PHREEQC 3.",
        "zh": "HTML 报告为独立文件（可离线查看）。.zip 内含混合计算的 .pqi 文件及在 PHREEQC 3 中"
        "运行的说明。",
    },
    # ---- Optimise page (decision engine)
    "page_optimise": {"en": "Optimise the water network", "zh": "采出水管网优化决策"},
    "page_optimise_help": {
        "en": "Choose trains, plant sizes and where the water goes, period by period, at least "
        "cost or most reuse; Sankey, costs, Pareto front and why a case has no plan.",
        "zh": "逐期选择处理工艺、装置规模和水的去向（费用最低或回用最多）；桑基图、费用、"
        "帕累托前沿，以及无可行方案时的原因。",
    },
    "opt_title": {"en": "Optimise the water network", "zh": "采出水管网优化决策"},
    "opt_intro": {
        "en": "The decision engine chooses, for every period of a case, which treatment train to "
        "build at each station (and how large), and how much of each station's product "
        "and residual water goes to each destination, so that every capacity and water-"
        "quality limit holds. It solves a mixed-integer program (HiGHS), checks every "
        "destination blend with PHREEQC (pH, SAR, saturation indices) and adds cuts "
        "until the checks pass. Load a case, edit its key parameters and press **Run**.",
        "zh": "决策引擎针对算例的每个时段，确定各集输站建设哪种处理工艺（及规模），以及各站产水和"
        "残液分别送往哪些去向，使所有容量和水质限值均得到满足。引擎求解混合整数规划"
        "（HiGHS），并用 PHREEQC 校核每个去向的混合水（pH、钠吸附比、饱和指数），"
        "不满足时添加割平面并重新求解。请加载算例、修改关键参数后点击 **运行优化**。",
    },
    "opt_case_heading": {"en": "Case", "zh": "算例"},
    "opt_source": {"en": "Case source", "zh": "算例来源"},
    "opt_src_bundled": {"en": "Bundled case", "zh": "内置算例"},
    "opt_src_upload": {"en": "Upload a case (.zip)", "zh": "上传算例（.zip）"},
    "opt_case_select": {"en": "Bundled case", "zh": "内置算例"},
    "opt_no_bundled": {"en": "No bundled case was found.", "zh": "未找到内置算例。"},
    "opt_upload": {
        "en": "Case (.zip of case.toml and its CSV tables)",
        "zh": "算例（含 case.toml 及其 CSV 表的 .zip 文件）",
    },
    "opt_upload_help": {
        "en": "Zip the case folder: case.toml (format: docs/optimise_case_format.md) with the "
        "analyses and wells CSV files it names, at the top of the zip or in one folder. "
        "Every file the case names must be inside the zip (no '..' paths).",
        "zh": "将算例文件夹打包为 zip：case.toml（格式见 docs/optimise_case_format.md）及其引用的"
        "水质分析表和井表 CSV，可位于 zip 根目录或同一文件夹内。算例引用的所有文件都必须"
        "包含在 zip 中（不允许 '..' 路径）。",
    },
    "opt_upload_wait": {
        "en": "Upload a .zip holding case.toml and its CSV tables.",
        "zh": "请上传包含 case.toml 及其 CSV 表的 .zip 文件。",
    },
    "opt_error_case": {"en": "The case cannot be read: {msg}", "zh": "算例无法读取：{msg}"},
    "opt_error_edit": {
        "en": "The edited case is not valid: {msg}",
        "zh": "修改后的算例无效：{msg}",
    },
    "opt_error_run": {"en": "The optimisation stopped: {msg}", "zh": "优化计算中止：{msg}"},
    "opt_error_internal": {
        "en": "Internal error ({kind}): {msg}. Please report it with the case.",
        "zh": "内部错误（{kind}）：{msg}。请连同算例一并反馈。",
    },
    "opt_case_caption": {
        "en": "**{name}**: {periods} periods of {years:g} yr from {start}; {stations} stations, "
        "{hubs} hubs, {wells} wells, {trains} candidate trains, {dests} destinations.",
        "zh": "**{name}**：自 {start} 年起共 {periods} 个时段，每段 {years:g} 年；{stations} 个"
        "集输站、{hubs} 个集中处理站、{wells} 口井、{trains} 种候选工艺、{dests} 个去向。",
    },
    "opt_glance": {"en": "The case at a glance", "zh": "算例概览"},
    "opt_glance_production": {
        "en": "**Produced water by station (m³/d, period averages)**",
        "zh": "**各集输站产水量（m³/d，时段平均）**",
    },
    "opt_glance_trains": {"en": "**Candidate trains**", "zh": "**候选处理工艺**"},
    "opt_glance_destinations": {
        "en": "**Destinations and their effective limits** (a standard's limits and the case's "
        "explicit ones; the tighter wins)",
        "zh": "**去向及其实际适用限值**（标准限值与算例中的显式限值，取较严者）",
    },
    "opt_params_heading": {"en": "Key parameters", "zh": "关键参数"},
    "opt_col_destination": {"en": "Destination", "zh": "去向"},
    "opt_col_kind": {"en": "Kind", "zh": "类型"},
    "opt_col_capacity_case": {"en": "Case capacity (m³/d)", "zh": "算例容量（m³/d）"},
    "opt_col_capacity_edit": {"en": "New capacity (m³/d)", "zh": "新容量（m³/d）"},
    "opt_capacity_help": {
        "en": "One value for every period; blank keeps the case's capacity (a list per period "
        "stays as it is).",
        "zh": "对所有时段取同一值；留空则保留算例中的容量（按时段给出的列表保持不变）。",
    },
    "opt_col_price": {"en": "Price (CNY/m³)", "zh": "水价（元/m³）"},
    "opt_price_help": {
        "en": "Paid to the operator per m³ delivered (revenue).",
        "zh": "用户按每立方米接收水量支付给运营方的价格（收入）。",
    },
    "opt_col_fee": {"en": "Fee (CNY/m³)", "zh": "收费（元/m³）"},
    "opt_fee_help": {
        "en": "Charged to the operator per m³ delivered (disposal, injection or discharge fee).",
        "zh": "运营方按每立方米送出水量支付的费用（处置、回注或排放费用）。",
    },
    "opt_col_limit": {"en": "{name} max (mg/L)", "zh": "{name} 上限（mg/L）"},
    "opt_limit_help": {
        "en": "Explicit maximum of {name} in the blend delivered here, mg/L. Blank: no explicit "
        "limit (a standard's limit, if any, still applies; the tighter of the two wins).",
        "zh": "送往该去向的混合水中 {name} 的显式上限，mg/L。留空表示无显式限值"
        "（如有标准限值仍然适用，二者取较严者）。",
    },
    "opt_editor_caption": {
        "en": "Edit the white cells. The edited case is validated by the engine like a case "
        "file. A limit here only tightens the limit of a destination's standard; the "
        "effective limits are listed under *The case at a glance*.",
        "zh": "可编辑白色单元格。修改后的算例由引擎按算例文件的规则校验。此处的限值只能收紧"
        "去向所执行标准的限值；实际适用限值见 *算例概览*。",
    },
    "opt_changes": {"en": "**{n} edit(s) to the case:**", "zh": "**对算例的修改（{n} 处）：**"},
    "opt_objective": {"en": "Objective", "zh": "优化目标"},
    "opt_objective_help": {
        "en": "Least cost: least net present value. Most reuse: largest share of the produced "
        "water delivered to reuse destinations (within the budget), then least cost. "
        "Least salt: least dissolved salt (TDS) released to the environment, then least "
        "cost.",
        "zh": "费用最低：净现值最小。回用最多：在预算内使送往回用去向的水量比例最大，"
        "再使费用最低。排盐最少：使排入环境的溶解盐（TDS）最少，再使费用最低。",
    },
    "opt_obj_cost": {"en": "Least cost (NPV)", "zh": "费用最低（净现值）"},
    "opt_obj_reuse": {"en": "Most reuse", "zh": "回用最多"},
    "opt_obj_salt": {"en": "Least salt to the environment", "zh": "排入环境的盐最少"},
    "opt_time_limit": {"en": "Time limit per solve (s)", "zh": "每次求解时限（秒）"},
    "opt_gap": {"en": "Relative MIP gap (%)", "zh": "相对 MIP 间隙（%）"},
    "opt_budget": {"en": "NPV budget (million CNY)", "zh": "净现值预算（百万元）"},
    "opt_budget_help": {
        "en": "Largest NPV cost allowed while maximising reuse or minimising salt. Blank: the "
        "case's budget ({case} million CNY; — = none).",
        "zh": "最大化回用或最小化排盐时允许的最大净现值费用。留空：采用算例中的预算"
        "（{case} 百万元；— 表示无）。",
    },
    "opt_run": {"en": "Run optimisation", "zh": "运行优化"},
    "opt_progress_start": {"en": "Starting…", "zh": "正在启动……"},
    "opt_progress": {"en": "{pct:.0f} % — {msg}", "zh": "{pct:.0f} % —— {msg}"},
    "opt_press_run": {
        "en": "Press **Run optimisation** to optimise this case.",
        "zh": "点击 **运行优化** 对该算例进行优化。",
    },
    "opt_stale": {
        "en": "The parameters changed since this result was computed; press the button again "
        "to update it.",
        "zh": "参数已在本结果计算后修改；请再次点击按钮更新结果。",
    },
    "opt_results_heading": {"en": "Results", "zh": "优化结果"},
    "opt_status_line": {
        "en": "Status: **{status}** — objective: {objective}; gap {gap} %; {solver}; "
        "{seconds:.1f} s.",
        "zh": "求解状态：**{status}** —— 目标：{objective}；间隙 {gap} %；{solver}；"
        "用时 {seconds:.1f} 秒。",
    },
    "opt_status_optimal": {"en": "optimal", "zh": "最优"},
    "opt_status_feasible": {
        "en": "feasible (time limit reached, gap open)",
        "zh": "可行（达到时限，间隙未闭合）",
    },
    "opt_status_infeasible": {
        "en": "infeasible: no plan meets every constraint",
        "zh": "不可行：不存在满足全部约束的方案",
    },
    "opt_status_iteration_limit": {
        "en": "iteration limit: the PHREEQC checks still find violations (listed below)",
        "zh": "达到迭代上限：PHREEQC 校核仍发现超限（见下表）",
    },
    "opt_status_no_solution": {
        "en": "no solution found within the time limit",
        "zh": "时限内未找到解",
    },
    "opt_status_unbounded": {"en": "unbounded", "zh": "无界"},
    "opt_status_error": {"en": "solver error", "zh": "求解器错误"},
    "opt_st_optimal": {"en": "optimal", "zh": "最优"},
    "opt_st_feasible": {"en": "feasible", "zh": "可行"},
    "opt_st_infeasible": {"en": "infeasible", "zh": "不可行"},
    "opt_st_iteration_limit": {"en": "iteration limit", "zh": "达到迭代上限"},
    "opt_st_no_solution": {"en": "no solution", "zh": "无解"},
    "opt_st_unbounded": {"en": "unbounded", "zh": "无界"},
    "opt_st_error": {"en": "error", "zh": "错误"},
    "opt_st_unknown": {"en": "unknown", "zh": "未知"},
    "opt_presolve": {"en": "Before solving: {msg}", "zh": "求解前检查：{msg}"},
    "opt_m_npv": {
        "en": "NPV cost (million CNY, {year})",
        "zh": "净现值费用（百万元，{year} 年价）",
    },
    "opt_m_capex": {"en": "Capital (million CNY, {year})", "zh": "建设投资（百万元，{year} 年价）"},
    "opt_m_reuse": {"en": "Reuse share (%)", "zh": "回用比例（%）"},
    "opt_m_salt": {"en": "Salt to environment (t)", "zh": "排入环境的盐（吨）"},
    "opt_m_unit_cost": {"en": "Cost per m³ produced (CNY/m³)", "zh": "单位产水费用（元/m³）"},
    "opt_m_gap": {"en": "MIP gap (%)", "zh": "MIP 间隙（%）"},
    "opt_m_verified": {"en": "Constraints re-checked", "zh": "约束复核"},
    "opt_m_plants": {"en": "Plants to build", "zh": "新建装置数"},
    "opt_verified_yes": {"en": "✓ all hold", "zh": "✓ 全部满足"},
    "opt_verified_no": {"en": "✗ violated", "zh": "✗ 存在超限"},
    "opt_kpi_caption": {
        "en": "NPV at a discount rate of {rate:g} %/yr over {periods} periods of {years:g} yr; "
        "revenue counts as negative cost. Reuse share: water delivered to reuse "
        "destinations / {produced:,.0f} m³ produced. Cost per m³: NPV / discounted "
        "produced volume.",
        "zh": "净现值按 {rate:g} %/年 折现，共 {periods} 个时段、每段 {years:g} 年；收入计为负费用。"
        "回用比例：送往回用去向的水量 / 总产水量 {produced:,.0f} m³。单位费用：净现值 / "
        "折现后的产水量。",
    },
    "opt_verify_failed": {
        "en": "The re-check of the returned flows found violations (largest at: {where}).",
        "zh": "对返回流量的复核发现超限（最大处：{where}）。",
    },
    "opt_sankey_heading": {"en": "Where the water goes", "zh": "水的去向"},
    "opt_sankey_period": {"en": "Show", "zh": "显示"},
    "opt_sankey_all": {"en": "Whole horizon (total m³)", "zh": "整个规划期（总水量 m³）"},
    "opt_sankey_one": {
        "en": "Period {period} ({year}), m³/d",
        "zh": "第 {period} 时段（{year} 年），m³/d",
    },
    "opt_sankey_title_all": {
        "en": "Station → train → destination, whole horizon (m³)",
        "zh": "集输站 → 处理工艺 → 去向，整个规划期（m³）",
    },
    "opt_sankey_title_period": {
        "en": "Station → train → destination, period {period} ({year}), m³/d",
        "zh": "集输站 → 处理工艺 → 去向，第 {period} 时段（{year} 年），m³/d",
    },
    "opt_sankey_caption": {
        "en": "Link widths: water fed to each train (blue), product (green) and residual "
        "(red) delivered, and water a train evaporates (grey). Whole horizon: period-"
        "average m³/d × 365 × period length, summed. Trains are grouped by name over "
        "all sites.",
        "zh": "连线宽度：进入各工艺的水量（蓝）、送出的产水（绿）和残液（红），以及工艺蒸发的"
        "水量（灰）。整个规划期：时段平均 m³/d × 365 × 时段年数，再求和。同名工艺在各站点"
        "合并显示。",
    },
    "opt_unit_m3": {"en": "m³", "zh": "m³"},
    "opt_unit_m3_d": {"en": "m³/d", "zh": "m³/d"},
    "opt_unit_mcny": {"en": "million CNY", "zh": "百万元"},
    "opt_node_station": {"en": "station", "zh": "集输站"},
    "opt_node_hub": {"en": "central plant", "zh": "集中处理站"},
    "opt_node_train": {"en": "train", "zh": "处理工艺"},
    "opt_node_destination": {"en": "destination", "zh": "去向"},
    "opt_node_evaporated": {"en": "evaporated", "zh": "蒸发"},
    "opt_evaporated": {"en": "Evaporated", "zh": "蒸发损失"},
    "opt_stream_feed": {"en": "feed", "zh": "进水"},
    "opt_stream_product": {"en": "product", "zh": "产水"},
    "opt_stream_residual": {"en": "residual", "zh": "残液"},
    "opt_stream_evaporated": {"en": "evaporated", "zh": "蒸发"},
    "opt_flows_heading": {"en": "Flows over time", "zh": "各时段流量"},
    "opt_flows_title": {"en": "Water delivered to each destination", "zh": "各去向接收水量"},
    "opt_flows_y": {"en": "Flow (m³/d, period average)", "zh": "流量（m³/d，时段平均）"},
    "opt_year": {"en": "Year", "zh": "年份"},
    "opt_produced": {"en": "Produced", "zh": "产水量"},
    "opt_flows_caption": {
        "en": "Stacked bars: water delivered per destination (product and residual). Dotted "
        "line: water produced by all stations; the difference is evaporated by trains.",
        "zh": "堆积柱：各去向接收的水量（产水与残液）。虚线：全部集输站的产水量；"
        "两者之差为工艺蒸发的水量。",
    },
    "opt_cost_heading": {"en": "Cost breakdown (NPV)", "zh": "费用构成（净现值）"},
    "opt_cost_title": {
        "en": "NPV by category: total {total:,.3f} million CNY ({year})",
        "zh": "各类费用净现值：合计 {total:,.3f} 百万元（{year} 年价）",
    },
    "opt_cost_x": {"en": "Category", "zh": "费用类别"},
    "opt_cost_y": {"en": "NPV (million CNY, {year})", "zh": "净现值（百万元，{year} 年价）"},
    "opt_cost_caption": {
        "en": "Net present value of each category in CNY of {year}; revenue (paid to the "
        "operator by reuse users) is negative. The bars sum to the total.",
        "zh": "各类费用的净现值（{year} 年价，元）；收入（回用用户支付给运营方）为负值。"
        "各柱之和等于合计。",
    },
    "opt_cat_capital": {"en": "Capital", "zh": "建设投资"},
    "opt_cat_fixed_om": {"en": "Fixed O&M", "zh": "固定运维"},
    "opt_cat_electricity": {"en": "Electricity", "zh": "电费"},
    "opt_cat_chemicals": {"en": "Chemicals", "zh": "药剂费"},
    "opt_cat_replacement": {"en": "Replacement", "zh": "膜及滤料更换"},
    "opt_cat_sludge_disposal": {"en": "Sludge disposal", "zh": "污泥处置"},
    "opt_cat_hazardous_salt_disposal": {"en": "Hazardous salt disposal", "zh": "杂盐危废处置"},
    "opt_cat_transport": {"en": "Transport", "zh": "输送"},
    "opt_cat_fees": {"en": "Fees", "zh": "接收费用"},
    "opt_cat_revenue": {"en": "Revenue", "zh": "售水收入"},
    "opt_cat_total": {"en": "Total", "zh": "合计"},
    "opt_col_category": {"en": "Category", "zh": "费用类别"},
    "opt_col_npv_cny": {"en": "NPV (CNY)", "zh": "净现值（元）"},
    "opt_col_npv_mcny": {"en": "NPV (million CNY)", "zh": "净现值（百万元）"},
    "opt_builds_heading": {"en": "Plants to build", "zh": "拟建装置"},
    "opt_no_builds": {
        "en": "No plant is built: the water leaves untreated.",
        "zh": "无需新建装置：水不经处理直接送出。",
    },
    "opt_builds_caption": {
        "en": "Size = design feed capacity. Capex in CNY of {year}; its NPV is CRF × capex for "
        "every year of the horizon. Fixed O&M: labour and maintenance per year.",
        "zh": "规模为设计进水能力。投资以 {year} 年价计；其净现值为资金回收系数 × 投资，"
        "计入规划期每一年。固定运维：每年的人工及维修费用。",
    },
    "opt_col_site": {"en": "Site", "zh": "站点"},
    "opt_col_sites": {"en": "Sites allowed", "zh": "允许建设的站点"},
    "opt_col_train": {"en": "Train", "zh": "处理工艺"},
    "opt_col_size": {"en": "Size (m³/d)", "zh": "规模（m³/d）"},
    "opt_col_capex": {"en": "Capex (CNY)", "zh": "投资（元）"},
    "opt_col_fixed_opex": {"en": "Fixed O&M (CNY/yr)", "zh": "固定运维（元/年）"},
    "opt_col_capital_npv": {"en": "Capital NPV (CNY)", "zh": "投资净现值（元）"},
    "opt_col_peak_feed": {"en": "Peak feed (m³/d)", "zh": "最大进水量（m³/d）"},
    "opt_col_units": {"en": "Units", "zh": "单元组成"},
    "opt_dest_heading": {"en": "Destination blends and checks", "zh": "各去向混合水质与校核"},
    "opt_dest_caption": {
        "en": "Blend / limit in mg/L for each limited constituent (✗: over). pH, SAR and "
        "saturation indices are PHREEQC's on the blend at the destination's temperature. "
        "Not measured: a limited constituent some delivered water has no value for "
        "(counted as 0).",
        "zh": "各受限组分的混合浓度 / 限值（mg/L，✗ 表示超限）。pH、钠吸附比和饱和指数由 "
        "PHREEQC 按去向温度对混合水计算。未测定：部分来水缺少该受限组分的数据（按 0 计）。",
    },
    "opt_col_station": {"en": "Station", "zh": "集输站"},
    "opt_col_period": {"en": "Period", "zh": "时段"},
    "opt_col_capacity": {"en": "Capacity (m³/d)", "zh": "容量（m³/d）"},
    "opt_col_delivered": {"en": "Delivered (m³/d)", "zh": "接收量（m³/d）"},
    "opt_col_blend_limits": {"en": "Blend / limit (mg/L)", "zh": "混合浓度 / 限值（mg/L）"},
    "opt_col_effective_limits": {
        "en": "Effective limits (mg/L, source)",
        "zh": "实际适用限值（mg/L，来源）",
    },
    "opt_col_pH": {"en": "pH (PHREEQC)", "zh": "pH（PHREEQC）"},
    "opt_col_pH_range": {"en": "pH range", "zh": "pH 范围"},
    "opt_col_SAR": {"en": "SAR", "zh": "钠吸附比 SAR"},
    "opt_col_SAR_max": {"en": "SAR max", "zh": "SAR 上限"},
    "opt_col_SI": {"en": "Saturation indices", "zh": "饱和指数"},
    "opt_col_SI_max": {"en": "SI max", "zh": "饱和指数上限"},
    "opt_col_violations": {"en": "Violations", "zh": "超限项"},
    "opt_col_not_measured": {"en": "Not measured", "zh": "未测定"},
    "opt_col_ok": {"en": "OK", "zh": "达标"},
    "opt_col_transport": {"en": "Transport", "zh": "输送方式"},
    "opt_col_accepts": {"en": "Accepts", "zh": "接收水类"},
    "opt_col_constituent": {"en": "Constituent", "zh": "组分"},
    "opt_col_slack": {"en": "What conflicts", "zh": "冲突类型"},
    "opt_col_slack_m3_d": {"en": "Shortfall (m³/d)", "zh": "缺口（m³/d）"},
    "opt_col_blend_mg_L": {"en": "Blend (mg/L)", "zh": "混合浓度（mg/L）"},
    "opt_col_limit_mg_L": {"en": "Limit (mg/L)", "zh": "限值（mg/L）"},
    "opt_col_message": {"en": "Explanation", "zh": "说明"},
    "opt_kind_reuse": {"en": "reuse", "zh": "回用"},
    "opt_kind_reinjection": {"en": "reinjection", "zh": "回注"},
    "opt_kind_discharge": {"en": "discharge", "zh": "外排"},
    "opt_kind_residual_disposal": {"en": "residual disposal", "zh": "残液处置"},
    "opt_infeas_heading": {"en": "Why no plan exists", "zh": "无可行方案的原因"},
    "opt_infeas_intro": {
        "en": "The engine relaxed the water balance, the capacities and the quality limits with "
        "penalised slacks and kept the smallest set it needs. What conflicts:",
        "zh": "引擎对水量平衡、容量和水质限值加入带惩罚的松弛变量，找出所需的最小松弛。冲突如下：",
    },
    "opt_infeas_caption": {
        "en": "Raise the named capacity or limit, or add a train or destination that can take "
        "the water, and run again.",
        "zh": "请提高所列的容量或限值，或增加能够处理或接收这部分水的工艺或去向后重新运行。",
    },
    "opt_slack_quality": {"en": "quality limit", "zh": "水质限值"},
    "opt_slack_capacity": {"en": "capacity", "zh": "容量"},
    "opt_slack_unallocated": {"en": "water with nowhere to go", "zh": "无处可去的水"},
    "opt_slack_unknown": {"en": "other", "zh": "其他"},
    "opt_checks_heading": {"en": "Solver iterations and checks", "zh": "求解迭代与校核"},
    "opt_verify_line": {
        "en": "Re-check of every constraint on the returned flows: {ok}",
        "zh": "按返回流量复核全部约束：{ok}",
    },
    "opt_col_iteration": {"en": "Iteration", "zh": "迭代"},
    "opt_col_status": {"en": "Status", "zh": "状态"},
    "opt_col_objective": {"en": "Objective", "zh": "目标值"},
    "opt_col_gap": {"en": "Gap", "zh": "间隙"},
    "opt_col_cuts_added": {"en": "Cuts added", "zh": "新增割平面"},
    "opt_col_hubs_updated": {"en": "Central plants re-simulated", "zh": "重新模拟的集中处理站"},
    "opt_col_reason": {"en": "Note", "zh": "备注"},
    "opt_cuts_line": {
        "en": "**{n} geochemical cut(s)** added by the PHREEQC checks:",
        "zh": "PHREEQC 校核共添加 **{n} 个地球化学割平面**：",
    },
    "opt_col_property": {"en": "Checked property", "zh": "校核项"},
    "opt_col_sense": {"en": "Sense", "zh": "约束方向"},
    "opt_col_cut_limit": {"en": "Limit", "zh": "限值"},
    "opt_col_cut_value": {"en": "PHREEQC value", "zh": "PHREEQC 计算值"},
    "opt_col_terms": {"en": "Terms", "zh": "项数"},
    "opt_dest_active": {
        "en": "Only rows that receive water or break a limit",
        "zh": "仅显示接收水量或超限的行",
    },
    "opt_no_cuts": {"en": "No geochemical cut was needed.", "zh": "无需添加地球化学割平面。"},
    "opt_checks_caption": {
        "en": "Each iteration solves the model, then PHREEQC checks every destination blend; a "
        "violation adds a linearised cut and the model is solved again.",
        "zh": "每次迭代先求解模型，再由 PHREEQC 校核每个去向的混合水；发现超限即添加线性化割平面"
        "并重新求解。",
    },
    "opt_method": {"en": "Method, re-check details and versions", "zh": "方法、复核细节与版本"},
    "opt_warnings_heading": {"en": "Warnings", "zh": "警告"},
    "opt_no_warnings": {"en": "No warnings.", "zh": "无警告。"},
    "opt_downloads": {"en": "Downloads", "zh": "下载"},
    "opt_dl_json": {"en": "Results (JSON)", "zh": "结果（JSON）"},
    "opt_dl_zip": {"en": "Results and tables (.zip of CSV)", "zh": "结果与数据表（CSV 压缩包）"},
    "opt_dl_caption": {
        "en": "The JSON is the engine's results (as `cbmwater optimise --format json`). The .zip "
        "holds it with one CSV per table (as `--out`), a text summary, the edits and "
        "options of this run (parameters.json) and, after a Pareto run, pareto.json.",
        "zh": "JSON 为引擎的完整结果（与 `cbmwater optimise --format json` 相同）。.zip 内含该 "
        "JSON、每张表一个 CSV（与 `--out` 相同）、文字摘要、本次运行的修改与选项"
        "（parameters.json），运行帕累托分析后还包括 pareto.json。",
    },
    "opt_summary_text": {"en": "Text summary", "zh": "文字摘要"},
    "opt_pareto_heading": {
        "en": "Pareto front: cost against reuse",
        "zh": "帕累托前沿：费用与回用",
    },
    "opt_pareto_intro": {
        "en": "The least-cost plan, the most-reuse plan and plans in between (least cost at a "
        "required reuse share): what each extra per cent of reuse costs.",
        "zh": "费用最低方案、回用最多方案及其间的方案（在要求的回用比例下费用最低）："
        "显示回用比例每提高一个百分点所需的费用。",
    },
    "opt_pareto_points": {"en": "Points", "zh": "点数"},
    "opt_pareto_run": {"en": "Run Pareto front", "zh": "计算帕累托前沿"},
    "opt_pareto_single": {
        "en": "The front is a single point: the least-cost plan already reuses as much water as "
        "any plan can.",
        "zh": "帕累托前沿只有一个点：费用最低的方案已达到所有方案中最大的回用量。",
    },
    "opt_pareto_no_plan": {
        "en": "No front: the least-cost optimisation ended as “{status}” (run the optimisation "
        "above to see why).",
        "zh": "无帕累托前沿：费用最低优化的结果为“{status}”（请运行上方的优化查看原因）。",
    },
    "opt_pareto_title": {"en": "NPV cost against reuse share", "zh": "净现值费用与回用比例"},
    "opt_pareto_x": {"en": "Reuse share (% of produced water)", "zh": "回用比例（占产水量 %）"},
    "opt_pareto_y": {"en": "NPV cost (million CNY)", "zh": "净现值费用（百万元）"},
    "opt_pareto_trace": {"en": "Pareto front", "zh": "帕累托前沿"},
    "opt_pareto_hover": {
        "en": "Point %{customdata[0]}<br>reuse %{x:.1f} %<br>NPV %{y:,.3f} million CNY"
        "<br>%{customdata[1]}",
        "zh": "第 %{customdata[0]} 点<br>回用 %{x:.1f} %<br>净现值 %{y:,.3f} 百万元"
        "<br>%{customdata[1]}",
    },
    "opt_pareto_caption": {
        "en": "Each point is a full optimisation (PHREEQC checks included) at least cost with "
        "reuse at or above the share asked for. Builds: site/train size (m³/d).",
        "zh": "每个点都是一次完整优化（含 PHREEQC 校核）：在回用比例不低于要求值的前提下"
        "费用最低。装置：站点/工艺 规模（m³/d）。",
    },
    "opt_col_point": {"en": "Point", "zh": "点"},
    "opt_col_reuse_pct": {"en": "Reuse (%)", "zh": "回用比例（%）"},
    "opt_col_salt_t": {"en": "Salt to environment (t)", "zh": "排入环境的盐（吨）"},
    "opt_col_min_reuse_pct": {"en": "Reuse asked for (%)", "zh": "要求回用比例（%）"},
    "opt_col_builds": {"en": "Plants", "zh": "装置"},
    # ---- Home: Mine water page
    "page_minewater": {"en": "Old-mine acid water", "zh": "老窑水（废弃矿井酸性水）"},
    "page_minewater_help": {
        "en": "Acidity, PHREEQC neutralisation with five reagents, passive and active options "
        "with their verdicts and AMDTreat sizing, and the one-mine-one-policy plan of a "
        "closed mine's discharges.",
        "zh": "酸度、五种药剂的 PHREEQC 中和滴定、被动与主动处理方案的适用性判断及 AMDTreat "
        "规模与费用估算，以及废弃矿井各排水点的“一矿一策”方案。",
    },
    # ---- Mine water page: general
    "mw_title": {"en": "Old-mine acid water", "zh": "老窑水（废弃矿井酸性水）"},
    "mw_intro": {
        "en": "Acid water from closed coal and pyrite workings (老窑水) around Jincheng: how "
        "acidic each discharge is, what each reagent costs in dose and sludge to "
        "neutralise it (PHREEQC titration), which passive or active systems are "
        "admissible and what they take in land and money (AMDTreat 6 rules in SI units "
        "and CNY), and a plan for every discharge point of a mine (source control + "
        "treatment + destination) at least NPV.",
        "zh": "晋城一带废弃煤矿与硫铁矿老窑排出的酸性水：各排水点的酸度；每种药剂中和所需的"
        "投加量与污泥量（PHREEQC 滴定）；哪些被动或主动处理工艺适用、占地与费用多少"
        "（AMDTreat 6 规则，国际单位、人民币）；以及按净现值最低为一座矿井的每个排水点"
        "制定方案（源头控制 + 处理 + 去向）。",
    },
    "mw_yes": {"en": "yes", "zh": "是"},
    "mw_no": {"en": "no", "zh": "否"},
    "mw_error_internal": {
        "en": "Internal error ({kind}): {msg}. Please report it with the input that caused it.",
        "zh": "内部错误（{kind}）：{msg}。请连同引发错误的输入一起反馈。",
    },
    "mw_no_waters": {
        "en": "No waters to analyse yet: choose the bundled analyses or upload a lab file above. "
        "The plan below works on its own case.",
        "zh": "尚无可分析的水样：请在上方选择内置水样或上传化验文件。下方的方案计算使用其自身的算例。",
    },
    # ---- section 1: waters
    "mw_waters_heading": {"en": "1 · Waters and their acidity", "zh": "1 · 水样及其酸度"},
    "mw_src_bundled": {
        "en": "Bundled Daji mine discharges (representative, not measured)",
        "zh": "内置大箕矿排水点水样（代表性数据，非实测）",
    },
    "mw_src_upload": {"en": "Upload a lab file (CSV / XLSX)", "zh": "上传化验文件（CSV / XLSX）"},
    "mw_bundled_note": {
        "en": "The bundled analyses are **constructed, representative values** for four "
        "discharges of the closed Daji pyrite mine (Zezhou county, Jincheng): no analysis "
        "of these discharges was found, so every number is built within published ranges "
        "of Jincheng/Yangquan 老窑水 (see cbmwater/case_studies/daji_old_mine/README.md). Use them "
        "to try the engine, not as evidence about the mine.",
        "zh": "内置水样为**构建的代表性数值**，对应晋城泽州县大箕镇废弃硫铁矿的四个排水点："
        "未查到这些排水点的实测化验结果，所有数值均按已发表的晋城/阳泉老窑水范围构建"
        "（见 cbmwater/case_studies/daji_old_mine/README.md）。仅供试用本引擎，不能作为该矿的依据。",
    },
    "mw_upload_help": {
        "en": "One sample per row: sample id, pH, and Fe(II) / Fe(III) (or total Fe), Al, Mn in "
        "mg/L; alkalinity (as CaCO3) or HCO3 for waters at pH ≥ 4.5; SO4, Ca, Mg, Na, DO "
        "help the titration and the rules. Headers may be English or Chinese.",
        "zh": "每行一个水样：样品编号、pH，以及二价铁/三价铁（或总铁）、铝、锰（mg/L）；"
        "pH ≥ 4.5 的水需有碱度（以 CaCO3 计）或 HCO3；SO4、Ca、Mg、Na、溶解氧有助于滴定"
        "计算与规则判断。表头可为中文或英文。",
    },
    "mw_missing_alk": {"en": "No alkalinity measured at pH ≥ 4.5", "zh": "pH ≥ 4.5 而未测碱度时"},
    "mw_missing_error": {"en": "refuse (ask for it)", "zh": "拒绝计算（要求补测）"},
    "mw_missing_zero": {"en": "take 0 (upper bound)", "zh": "按 0 计（净酸度为上限）"},
    "mw_missing_alk_help": {
        "en": "Below pH 4.5 the alkalinity is 0 by definition. Above it a water can carry "
        "hundreds of mg/L, which decides net-acidic against net-alkaline, so the engine "
        "refuses to guess unless you choose 0 (the net acidity is then an upper bound).",
        "zh": "pH 低于 4.5 时碱度按定义为 0；高于 4.5 时碱度可达数百 mg/L，决定水是净酸性还是"
        "净碱性，因此引擎不作猜测，除非选择按 0 计（此时净酸度为上限）。",
    },
    "mw_fe_policy": {"en": "Only total Fe measured", "zh": "只测总铁时"},
    "mw_fe_ferrous": {"en": "all Fe(II)", "zh": "全部按二价铁"},
    "mw_fe_ferric": {"en": "all Fe(III)", "zh": "全部按三价铁"},
    "mw_fe_policy_help": {
        "en": "How total Fe is split when Fe(II) and Fe(III) were not measured: all Fe(II) (a "
        "fresh anoxic adit discharge; default) or all Fe(III) (aerated water, 3 instead of "
        "2 eq/mol of acidity).",
        "zh": "未分别测定二价铁和三价铁时总铁如何划分：全部按二价铁（新鲜缺氧的平硐排水，默认），"
        "或全部按三价铁（已曝气的水，酸度按每摩尔 3 当量而非 2 当量计）。",
    },
    "mw_error_acidity": {
        "en": "The acidity cannot be computed: {msg}",
        "zh": "无法计算酸度：{msg}",
    },
    "mw_missing_hint": {
        "en": "Measure the alkalinity, or choose “take 0 (upper bound)” above to go on.",
        "zh": "请补测碱度，或在上方选择“按 0 计（净酸度为上限）”后继续。",
    },
    "mw_net_acidic": {"en": "net acidic", "zh": "净酸性"},
    "mw_net_alkaline": {"en": "net alkaline", "zh": "净碱性"},
    "mw_col_sample": {"en": "Sample", "zh": "样品"},
    "mw_col_point": {"en": "Discharge point", "zh": "排水点"},
    "mw_col_design_flow": {"en": "Design flow (m³/d)", "zh": "设计流量（m³/d）"},
    "mw_col_pH": {"en": "pH", "zh": "pH"},
    "mw_col_fe2": {"en": "Fe(II) used (mg/L)", "zh": "采用的二价铁（mg/L）"},
    "mw_col_fe3": {"en": "Fe(III) used (mg/L)", "zh": "采用的三价铁（mg/L）"},
    "mw_col_acidity": {
        "en": "Calculated acidity (mg/L CaCO3)",
        "zh": "计算酸度（mg/L，以 CaCO3 计）",
    },
    "mw_col_alkalinity": {"en": "Alkalinity (mg/L CaCO3)", "zh": "碱度（mg/L，以 CaCO3 计）"},
    "mw_col_net_acidity": {"en": "Net acidity (mg/L CaCO3)", "zh": "净酸度（mg/L，以 CaCO3 计）"},
    "mw_col_flag": {"en": "Net acidic / alkaline", "zh": "净酸性 / 净碱性"},
    "mw_col_acid_load": {"en": "Acid load (kg CaCO3/d)", "zh": "酸负荷（kg CaCO3/d）"},
    "mw_col_notes": {"en": "Notes", "zh": "说明"},
    "mw_acidity_caption": {
        "en": "Calculated acidity = 50 × [2 Fe(II)/55.845 + 3 Fe(III)/55.845 + 3 Al/26.98 + "
        "2 Mn/54.938 + 1000 × 10^−pH] mg/L CaCO3 (Kirby & Cravotta 2005); net acidity = "
        "calculated acidity − alkalinity (positive: net acidic, needs alkalinity added). "
        "Acid load = net acidity × design flow / 1000 (the largest seasonal flow of the "
        "bundled case).",
        "zh": "计算酸度 = 50 × [2 Fe(II)/55.845 + 3 Fe(III)/55.845 + 3 Al/26.98 + 2 Mn/54.938 + "
        "1000 × 10^−pH] mg/L（以 CaCO3 计；Kirby & Cravotta 2005）；净酸度 = 计算酸度 − 碱度"
        "（正值为净酸性，需要补充碱度）。酸负荷 = 净酸度 × 设计流量 / 1000"
        "（内置算例取各季节最大流量）。",
    },
    "mw_dl_acidity": {"en": "Download the acidity table (CSV)", "zh": "下载酸度表（CSV）"},
    # ---- section 2: neutralisation
    "mw_neut_heading": {
        "en": "2 · Neutralisation (PHREEQC titration)",
        "zh": "2 · 中和（PHREEQC 滴定）",
    },
    "mw_neut_intro": {
        "en": "The chosen water is aerated (a fraction of its Fe(II) oxidised by the O2 it "
        "needs), then titrated with each reagent; Fe(OH)3, Al(OH)3, Mn(OH)2, gypsum and "
        "calcite may precipitate. The dose is the one that reaches the target pH.",
        "zh": "所选水样先曝气（按所需氧量将一部分二价铁氧化），再分别用每种药剂滴定；"
        "允许析出 Fe(OH)3、Al(OH)3、Mn(OH)2、石膏和方解石。投加量为达到目标 pH 所需的量。",
    },
    "mw_sample": {"en": "Water (sample)", "zh": "水样"},
    "mw_flow": {"en": "Flow (m³/d)", "zh": "流量（m³/d）"},
    "mw_flow_help": {
        "en": "Flow treated, for reagent and sludge per day and the acid load (default: the "
        "bundled case's largest seasonal flow of this point, else 272.55 m³/d = 50 gpm, "
        "AMDTreat's default).",
        "zh": "处理水量，用于计算每日药剂量、污泥量及酸负荷（默认：内置算例中该排水点各季节"
        "最大流量；否则为 272.55 m³/d = 50 gpm，AMDTreat 默认值）。",
    },
    "mw_target": {"en": "Target pH", "zh": "目标 pH"},
    "mw_target_help": {
        "en": "pH the reagent must reach (3-12.5). 8.5 precipitates Fe(III) and Al within "
        "GB 20426's pH 6-9; Mn needs pH 9.5-10.",
        "zh": "药剂需达到的 pH（3–12.5）。pH 8.5 可使三价铁和铝沉淀，且在 GB 20426 的 pH 6–9 范围内；"
        "锰需 pH 9.5–10 才能去除。",
    },
    "mw_co2": {"en": "CO2 exchange", "zh": "CO2 交换"},
    "mw_co2_closed": {"en": "closed (reaction tank)", "zh": "封闭（反应池）"},
    "mw_co2_degassed": {"en": "degassed, then closed", "zh": "先脱气，后封闭"},
    "mw_co2_open": {"en": "open to the air", "zh": "与大气开放"},
    "mw_co2_help": {
        "en": "Closed: no CO2 leaves or enters (conservative dose). Degassed: aeration first "
        "strips CO2 to atmospheric pressure. Open: equilibrium with air throughout "
        "(limestone channel, long pond) -- calcium reagents then stall near pH 8.",
        "zh": "封闭：CO2 不进出（投加量偏保守）。先脱气：曝气先将 CO2 吹脱至大气分压。"
        "开放：全程与空气平衡（石灰石沟渠、长停留池）——此时钙系药剂在 pH 8 左右难以再升高。",
    },
    "mw_fe_ox": {"en": "Fe(II) oxidised by aeration (fraction)", "zh": "曝气氧化的二价铁比例"},
    "mw_fe_ox_help": {
        "en": "Share of the Fe(II) oxidised to Fe(III) before dosing (1 = all). Fe(II) left "
        "stays dissolved.",
        "zh": "投药前被氧化为三价铁的二价铁比例（1 = 全部）。未被氧化的二价铁保持溶解。",
    },
    "mw_dose_unit": {"en": "Dose axis", "zh": "投加量坐标"},
    "mw_unit_mg_L": {"en": "mg/L", "zh": "mg/L"},
    "mw_unit_mmol_L": {"en": "mmol/L", "zh": "mmol/L"},
    "mw_running_neut": {"en": "Titrating in PHREEQC…", "zh": "正在用 PHREEQC 滴定…"},
    "mw_error_neut": {"en": "The titration cannot be done: {msg}", "zh": "无法完成滴定：{msg}"},
    "mw_titration_title": {
        "en": "Titration curves: pH against reagent dose",
        "zh": "滴定曲线：pH 与药剂投加量",
    },
    "mw_titration_x": {
        "en": "Reagent dose ({unit} of pure compound)",
        "zh": "药剂投加量（纯物质，{unit}）",
    },
    "mw_titration_y": {"en": "pH after precipitation", "zh": "沉淀后的 pH"},
    "mw_target_line": {"en": "target pH {pH:g}", "zh": "目标 pH {pH:g}"},
    "mw_dose_hover": {
        "en": "{reagent}: dose to the target %{{x:,.4g}} {unit} → pH %{{y:.2f}}",
        "zh": "{reagent}：达到目标的投加量 %{{x:,.4g}} {unit} → pH %{{y:.2f}}",
    },
    "mw_unreachable": {
        "en": "{msg}",
        "zh": "{reagent} 达不到目标 pH（引擎说明）：{msg}",
    },
    "mw_reagent_failed": {
        "en": "{reagent}: the titration failed: {msg}",
        "zh": "{reagent}：滴定计算失败：{msg}",
    },
    "mw_reagent_NaOH": {"en": "NaOH (caustic soda)", "zh": "NaOH（烧碱）"},
    "mw_reagent_Ca(OH)2": {"en": "Ca(OH)2 (hydrated lime)", "zh": "Ca(OH)2（熟石灰）"},
    "mw_reagent_CaO": {"en": "CaO (quicklime)", "zh": "CaO（生石灰）"},
    "mw_reagent_CaCO3": {"en": "CaCO3 (limestone)", "zh": "CaCO3（石灰石）"},
    "mw_reagent_Na2CO3": {"en": "Na2CO3 (soda ash)", "zh": "Na2CO3（纯碱）"},
    "mw_col_reagent": {"en": "Reagent", "zh": "药剂"},
    "mw_col_reached": {"en": "Target reached", "zh": "达到目标"},
    "mw_col_dose_mmol": {"en": "Dose (mmol/L)", "zh": "投加量（mmol/L）"},
    "mw_col_dose_meq": {"en": "Dose (meq/L)", "zh": "投加量（meq/L）"},
    "mw_col_dose_mg": {"en": "Dose (mg/L)", "zh": "投加量（mg/L）"},
    "mw_col_dose_kg_d": {"en": "Reagent (kg/d)", "zh": "药剂用量（kg/d）"},
    "mw_col_achieved_pH": {"en": "pH reached", "zh": "达到的 pH"},
    "mw_col_sludge_mg": {"en": "Dry sludge (mg/L)", "zh": "干污泥（mg/L）"},
    "mw_col_sludge_kg_d": {"en": "Dry sludge (kg/d)", "zh": "干污泥（kg/d）"},
    "mw_col_lds_L_m3": {"en": "LDS 3 % (L/m³)", "zh": "低密度污泥 3%（L/m³）"},
    "mw_col_lds_m3_d": {"en": "LDS 3 % (m³/d)", "zh": "低密度污泥 3%（m³/d）"},
    "mw_col_hds_L_m3": {"en": "HDS 25 % (L/m³)", "zh": "高密度污泥 25%（L/m³）"},
    "mw_col_hds_m3_d": {"en": "HDS 25 % (m³/d)", "zh": "高密度污泥 25%（m³/d）"},
    "mw_doses_caption": {
        "en": "Doses of the pure compound per litre of raw water; kg/d and m³/d at {flow:,.2f} "
        "m³/d. Sludge: the solids PHREEQC precipitates; its wet volume as low-density "
        "(3 % solids, conventional lime) and high-density sludge (25 %, HDS recycle) by "
        "AMDTreat's density rule.",
        "zh": "投加量为纯物质、按每升原水计；kg/d 与 m³/d 按 {flow:,.2f} m³/d 计算。污泥为 PHREEQC "
        "计算析出的固体；湿污泥体积按 AMDTreat 密度公式，分别给出低密度污泥（固含量 3%，"
        "常规石灰法）和高密度污泥（25%，HDS 回流工艺）。",
    },
    "mw_effluent_heading": {
        "en": "Effluent and sludge of one reagent",
        "zh": "单一药剂的出水与污泥",
    },
    "mw_reagent": {"en": "Reagent", "zh": "药剂"},
    "mw_reagent_unreachable": {
        "en": "{reagent} cannot reach the target pH for this water (see the message above); "
        "its curve is still drawn. Reagents that reach it: {others}.",
        "zh": "{reagent} 无法使该水样达到目标 pH（见上方说明），仍绘出其滴定曲线。"
        "可达到目标的药剂：{others}。",
    },
    "mw_m_dose": {"en": "Dose (mg/L)", "zh": "投加量（mg/L）"},
    "mw_m_dose_kg_d": {"en": "Reagent (kg/d)", "zh": "药剂用量（kg/d）"},
    "mw_m_sludge": {"en": "Dry sludge (mg/L)", "zh": "干污泥（mg/L）"},
    "mw_m_aerated_pH": {"en": "pH after aeration, no reagent", "zh": "曝气后、未投药的 pH"},
    "mw_effluent_table": {
        "en": "**Raw water and effluent at the target**",
        "zh": "**原水与达到目标时的出水**",
    },
    "mw_sludge_table": {"en": "**Solids precipitated**", "zh": "**析出的固体**"},
    "mw_no_sludge": {"en": "Nothing precipitates.", "zh": "无固体析出。"},
    "mw_col_constituent": {"en": "Constituent", "zh": "组分"},
    "mw_col_raw": {"en": "Raw (mg/L; pH)", "zh": "原水（mg/L；pH）"},
    "mw_col_effluent": {"en": "Effluent (mg/L; pH)", "zh": "出水（mg/L；pH）"},
    "mw_col_phase": {"en": "Phase", "zh": "矿物相"},
    "mw_col_label": {"en": "Solid", "zh": "固体"},
    "mw_col_mmol_L": {"en": "mmol/L", "zh": "mmol/L"},
    "mw_col_mg_L": {"en": "mg/L", "zh": "mg/L"},
    "mw_col_sg": {"en": "Specific gravity (–)", "zh": "比重（–）"},
    "mw_effluent_caption": {
        "en": "Alkalinity, acidity and net acidity in mg/L as CaCO3. Mn stays dissolved below "
        "pH ~9.5 (no oxidant is dosed): a Mn removal step follows where a limit needs it.",
        "zh": "碱度、酸度与净酸度以 mg/L CaCO3 计。由于未投加氧化剂，pH 约 9.5 以下锰保持溶解："
        "如有锰限值要求，需后接除锰工序。",
    },
    "mw_notes": {"en": "Notes of the titration", "zh": "滴定说明"},
    "mw_model": {"en": "Model assumptions", "zh": "模型假设"},
    "mw_metals_title": {
        "en": "Dissolved Fe, Al and Mn along the {reagent} curve",
        "zh": "{reagent} 滴定过程中的溶解态铁、铝、锰",
    },
    "mw_metals_x": {"en": "pH", "zh": "pH"},
    "mw_metals_y": {"en": "Dissolved (mg/L, log scale)", "zh": "溶解态浓度（mg/L，对数坐标）"},
    "mw_metals_caption": {
        "en": "Fe(III) leaves first (pH 3-4), Al near pH 5-7 and redissolves as aluminate at "
        "high pH, Mn only near pH 9.5-10. The dashed line is the target pH.",
        "zh": "三价铁最先沉淀（pH 3–4），铝在 pH 5–7 附近沉淀、高 pH 时以铝酸根重新溶解，锰仅在 "
        "pH 9.5–10 附近沉淀。虚线为目标 pH。",
    },
    "mw_dl_pqi": {"en": "Download the PHREEQC input (.pqi)", "zh": "下载 PHREEQC 输入文件（.pqi）"},
    "mw_dl_neut_json": {"en": "Download the titration result (JSON)", "zh": "下载滴定结果（JSON）"},
    # ---- section 3: options
    "mw_options_heading": {"en": "3 · Treatment options", "zh": "3 · 处理工艺方案"},
    "mw_verdicts_heading": {
        "en": "Which options are admissible for {sample}",
        "zh": "{sample} 适用哪些处理工艺",
    },
    "mw_mn_limit": {"en": "Mn limit of the effluent (mg/L)", "zh": "出水锰限值（mg/L）"},
    "mw_mn_limit_help": {
        "en": "Decides whether a Mn removal bed is needed (default 4 mg/L, GB 20426-2006).",
        "zh": "决定是否需要除锰床（默认 4 mg/L，GB 20426-2006）。",
    },
    "mw_land": {
        "en": "Land available (m²; blank = not limited)",
        "zh": "可用土地（m²；留空 = 不限）",
    },
    "mw_land_help": {
        "en": "A passive option whose land (sized at the flow above) exceeds it is not "
        "admissible. Default: the bundled case's land at this point.",
        "zh": "按上方流量计算的占地超过可用土地的被动工艺不适用。默认值：内置算例中该排水点的可用土地。",
    },
    "mw_load_max": {
        "en": "Passive acid-load limit (kg CaCO3/d)",
        "zh": "被动处理酸负荷上限（kg CaCO3/d）",
    },
    "mw_load_max_help": {
        "en": "Above this acid load passive systems are ruled out (default 150 kg/d: 0.4-0.75 "
        "ha of vertical-flow pond at 20-35 g/m²/d).",
        "zh": "酸负荷超过该值时排除被动处理（默认 150 kg/d：按 20–35 g/m²/d 计需 0.4–0.75 公顷垂直流反应池）。",
    },
    "mw_need_acidity": {
        "en": "The verdicts need the net acidity of this water (see section 1).",
        "zh": "适用性判断需要该水样的净酸度（见第 1 部分）。",
    },
    "mw_error_rules": {"en": "The rules cannot be applied: {msg}", "zh": "无法应用判断规则：{msg}"},
    "mw_verdict_line": {
        "en": "**{sample}** is {kind} (net acidity {net:,.1f} mg/L CaCO3); acid load "
        "{load:,.1f} kg CaCO3/d at {flow:,.1f} m³/d.",
        "zh": "**{sample}** 为{kind}（净酸度 {net:,.1f} mg/L CaCO3）；按 {flow:,.1f} m³/d 计，"
        "酸负荷 {load:,.1f} kg CaCO3/d。",
    },
    "mw_role_primary": {"en": "primary", "zh": "主处理"},
    "mw_role_polishing": {"en": "polishing", "zh": "深度处理"},
    "mw_role_active": {"en": "active", "zh": "主动处理"},
    "mw_col_option": {"en": "Option", "zh": "工艺"},
    "mw_col_role": {"en": "Role", "zh": "作用"},
    "mw_col_admissible": {"en": "Admissible", "zh": "是否适用"},
    "mw_col_reasons": {"en": "Reasons (engine, English)", "zh": "理由（引擎输出，英文）"},
    "mw_verdicts_caption": {
        "en": "The Hedin/Skousen flowchart as rules (Hedin et al. 1994; Skousen et al. 1998): "
        "net-alkaline water needs aeration, a pond and a wetland; an anoxic limestone "
        "drain only for net-acidic water with DO, Fe(III) and Al each below 1 mg/L "
        "(a parameter not measured counts as failing); active treatment is always "
        "admissible.",
        "zh": "按 Hedin/Skousen 流程图编写的规则（Hedin 等 1994；Skousen 等 1998）：净碱性水只需"
        "曝气、沉淀池与湿地；缺氧石灰石沟仅适用于溶解氧、三价铁和铝均低于 1 mg/L 的净酸性水"
        "（未测参数按不满足计）；主动处理始终适用。",
    },
    "mw_opt_ald": {"en": "Anoxic limestone drain (ALD)", "zh": "缺氧石灰石沟（ALD）"},
    "mw_opt_vfp": {"en": "Vertical-flow pond (VFP / SAPS)", "zh": "垂直流反应池（VFP/SAPS）"},
    "mw_opt_limestone_bed": {"en": "Oxic limestone bed", "zh": "好氧石灰石床"},
    "mw_opt_wetland": {"en": "Aerobic wetland", "zh": "好氧人工湿地"},
    "mw_opt_mn_bed": {"en": "Mn removal bed", "zh": "除锰床"},
    "mw_opt_bioreactor": {"en": "Sulfate-reducing bioreactor", "zh": "硫酸盐还原生物反应器"},
    "mw_opt_settling_pond": {"en": "Settling pond", "zh": "氧化沉淀池"},
    "mw_opt_caustic": {"en": "Caustic soda dosing (active)", "zh": "烧碱投加（主动）"},
    "mw_opt_hydrated_lime": {"en": "Hydrated lime dosing (active)", "zh": "熟石灰投加（主动）"},
    "mw_opt_quicklime": {"en": "Quicklime dosing (active)", "zh": "生石灰投加（主动）"},
    "mw_opt_lime_slurry": {"en": "Lime slurry dosing (active)", "zh": "石灰乳投加（主动）"},
    "mw_size_heading": {
        "en": "Size and cost one option (AMDTreat 6)",
        "zh": "单一工艺的规模与费用（AMDTreat 6）",
    },
    "mw_size_option": {"en": "Option", "zh": "工艺"},
    "mw_size_example": {"en": "AMDTreat example", "zh": "AMDTreat 示例"},
    "mw_size_example_help": {
        "en": "AMDTreat's worked wetland: 50 gpm (272.55 m³/d), Fe 15 mg/L, Mn 10 mg/L.",
        "zh": "AMDTreat 湿地算例：50 gpm（272.55 m³/d），铁 15 mg/L，锰 10 mg/L。",
    },
    "mw_size_net": {"en": "Net acidity (mg/L CaCO3)", "zh": "净酸度（mg/L CaCO3）"},
    "mw_size_net_help": {
        "en": "Negative for net-alkaline water. Defaults to the chosen sample's.",
        "zh": "净碱性水为负值。默认取所选水样的值。",
    },
    "mw_size_fe": {"en": "Fe (mg/L)", "zh": "铁（mg/L）"},
    "mw_size_mn": {"en": "Mn (mg/L)", "zh": "锰（mg/L）"},
    "mw_size_rt": {"en": "Retention time (h)", "zh": "停留时间（h）"},
    "mw_size_life": {"en": "Design life (yr)", "zh": "设计寿命（年）"},
    "mw_size_default_help": {"en": "Blank = AMDTreat's default.", "zh": "留空 = AMDTreat 默认值。"},
    "mw_size_use_dose": {
        "en": "Dose the PHREEQC dose of section 2: {reagent} {dose:,.1f} mg/L to pH {pH:g}",
        "zh": "采用第 2 部分的 PHREEQC 投加量：{reagent} {dose:,.1f} mg/L，至 pH {pH:g}",
    },
    "mw_size_no_dose": {
        "en": "No PHREEQC dose of {reagent} from section 2: the dose follows from the net "
        "acidity (AMDTreat's stoichiometric rule).",
        "zh": "第 2 部分无 {reagent} 的 PHREEQC 投加量：投加量按净酸度计算（AMDTreat 化学计量规则）。",
    },
    "mw_error_size": {
        "en": "This option cannot be sized: {msg}",
        "zh": "无法计算该工艺规模：{msg}",
    },
    "mw_m_area": {"en": "Design area (m²)", "zh": "设计面积（m²）"},
    "mw_m_land": {"en": "Land (m²)", "zh": "占地（m²）"},
    "mw_m_limestone": {"en": "Limestone (t)", "zh": "石灰石（t）"},
    "mw_m_capex": {"en": "Capital (CNY {year})", "zh": "投资（{year} 年人民币元）"},
    "mw_m_opex": {"en": "Annual cost (CNY {year}/yr)", "zh": "年运行费（{year} 年人民币元/年）"},
    "mw_size_caption": {
        "en": "{option}, method {method}, at {flow:,.2f} m³/d over {life:g} years. Money: "
        "AMDTreat's USD unit costs moved to CNY with CEPCI, exchange rate and a location "
        "factor; reagents, power, labour and sludge disposal priced in China.",
        "zh": "{option}，方法 {method}，流量 {flow:,.2f} m³/d，期限 {life:g} 年。费用：AMDTreat "
        "的美元单价经 CEPCI、汇率与地区系数折算为人民币；药剂、电、人工与污泥处置按国内价格。",
    },
    "mw_quantities": {"en": "**Size**", "zh": "**规模**"},
    "mw_capex_items": {
        "en": "**Capital items (CNY {year})**",
        "zh": "**投资分项（{year} 年人民币元）**",
    },
    "mw_opex_items": {
        "en": "**Annual cost items (CNY {year}/yr)**",
        "zh": "**年运行费分项（{year} 年人民币元/年）**",
    },
    "mw_col_quantity": {"en": "Quantity", "zh": "项目"},
    "mw_col_value": {"en": "Value", "zh": "数值"},
    "mw_col_unit": {"en": "Unit", "zh": "单位"},
    "mw_col_item": {"en": "Item", "zh": "分项"},
    "mw_col_cny": {"en": "CNY", "zh": "元"},
    "mw_col_cny_yr": {"en": "CNY/yr", "zh": "元/年"},
    "mw_q_area_m2": {"en": "Design area", "zh": "设计面积"},
    "mw_q_footprint_m2": {"en": "Footprint", "zh": "构筑物平面面积"},
    "mw_q_land_m2": {"en": "Land taken", "zh": "占地"},
    "mw_q_volume_m3": {"en": "Volume", "zh": "容积"},
    "mw_q_limestone_t": {"en": "Limestone", "zh": "石灰石"},
    "mw_q_capex_CNY": {"en": "Capital", "zh": "投资"},
    "mw_q_opex_CNY_yr": {"en": "Annual cost", "zh": "年运行费"},
    "mw_q_recap_PV_CNY": {"en": "Recapitalisation (present value)", "zh": "更新改造费用（现值）"},
    "mw_q_life_yr": {"en": "Design life", "zh": "设计寿命"},
    "mw_q_fe_area_m2": {
        "en": "Area for Fe (load / Fe rate)",
        "zh": "除铁所需面积（负荷/除铁速率）",
    },
    "mw_q_mn_area_m2": {
        "en": "Area for Mn (load / Mn rate)",
        "zh": "除锰所需面积（负荷/除锰速率）",
    },
    "mw_q_retention_h": {"en": "Retention time", "zh": "停留时间"},
    "mw_size_ignored": {
        "en": "Inputs this option does not use: {which}.",
        "zh": "该工艺不使用的输入：{which}。",
    },
    "mw_size_details": {"en": "Sizing details and sources", "zh": "规模计算细节与依据"},
    # ---- section 4: plan
    "mw_plan_heading": {"en": "4 · One mine, one policy: the plan", "zh": "4 · 一矿一策：治理方案"},
    "mw_plan_intro": {
        "en": "Every combination of source control (or none), treatment system and destination "
        "is sized, costed and checked for each discharge point; one is chosen per point at "
        "least NPV (Pyomo + HiGHS) under the discharge standard, the river's mixed "
        "concentration in every season, the reuse capacity and the capital budget.",
        "zh": "对每个排水点，逐一计算源头控制（或不控制）、处理工艺与去向的所有组合的规模、费用并"
        "校核达标；在排放标准、各季节河流混合浓度、回用能力和投资预算的约束下，按净现值最低"
        "为每个排水点选定一个组合（Pyomo + HiGHS）。",
    },
    "mw_case_source": {"en": "Case", "zh": "算例"},
    "mw_case_src_bundled": {"en": "Bundled case", "zh": "内置算例"},
    "mw_case_src_upload": {"en": "Upload a case (.zip)", "zh": "上传算例（.zip）"},
    "mw_case_select": {"en": "Bundled case", "zh": "内置算例"},
    "mw_no_bundled": {
        "en": "No bundled mine-water case was found.",
        "zh": "未找到内置的老窑水算例。",
    },
    "mw_case_representative": {
        "en": "The Daji case is **representative, not measured**: its analyses, flows, river, "
        "costs and source-control effects are assumptions marked [U] in case.toml with "
        "their reasoning. Replace them with the mine's survey before using the plan.",
        "zh": "大箕算例为**代表性数据，非实测**：其水质、流量、河流、费用和源头控制效果均为假设，"
        "已在 case.toml 中以 [U] 标注并说明依据。使用方案前请以该矿的实际调查数据替换。",
    },
    "mw_case_upload": {
        "en": "Case (.zip of case.toml and analyses.csv)",
        "zh": "算例（含 case.toml 与 analyses.csv 的 .zip）",
    },
    "mw_case_upload_help": {
        "en": "Zip the case folder: case.toml and the analyses CSV it names (relative path, "
        "inside the zip). The format is that of cbmwater/case_studies/daji_old_mine/case.toml.",
        "zh": "将算例文件夹打包：case.toml 及其引用的水质 CSV（相对路径，位于压缩包内）。"
        "格式同 cbmwater/case_studies/daji_old_mine/case.toml。",
    },
    "mw_case_upload_wait": {
        "en": "Upload a case .zip to plan.",
        "zh": "请上传算例 .zip 以计算方案。",
    },
    "mw_error_case": {"en": "The case cannot be read: {msg}", "zh": "算例无法读取：{msg}"},
    "mw_case_caption": {
        "en": "{name}: {points} discharge points, seasons {seasons}, {controls} source-control "
        "measures, {dests} destinations; horizon {horizon:g} yr at {rate:g} %/yr; "
        "discharge standard {standard}.",
        "zh": "{name}：{points} 个排水点，季节 {seasons}，{controls} 项源头控制措施，{dests} 个去向；"
        "评价期 {horizon:g} 年，折现率 {rate:g}%/年；排放标准 {standard}。",
    },
    "mw_case_glance": {"en": "The case at a glance", "zh": "算例概览"},
    "mw_col_x_km": {"en": "x (km)", "zh": "x（km）"},
    "mw_col_y_km": {"en": "y (km)", "zh": "y（km）"},
    "mw_col_flows": {"en": "Flow per season (m³/d)", "zh": "各季节流量（m³/d）"},
    "mw_col_land": {"en": "Land (m²)", "zh": "土地（m²）"},
    "mw_col_control": {"en": "Source control", "zh": "源头控制"},
    "mw_col_flow_factor": {"en": "Flow left (fraction)", "zh": "剩余流量比例"},
    "mw_col_capex": {"en": "Capital (CNY)", "zh": "投资（元）"},
    "mw_col_annual": {"en": "Annual cost (CNY/yr)", "zh": "年费用（元/年）"},
    "mw_col_destination": {"en": "Destination", "zh": "去向"},
    "mw_col_kind": {"en": "Kind", "zh": "类型"},
    "mw_col_limits": {"en": "Limits (mg/L)", "zh": "限值（mg/L）"},
    "mw_col_capacity": {"en": "Capacity (m³/d)", "zh": "接纳能力（m³/d）"},
    "mw_col_price": {"en": "Price (CNY/m³)", "zh": "水价（元/m³）"},
    "mw_kind_river": {"en": "river", "zh": "河流"},
    "mw_kind_reuse": {"en": "reuse", "zh": "回用"},
    "mw_budget": {
        "en": "Capital budget (million CNY; blank = the case's)",
        "zh": "投资预算（百万元；留空 = 按算例）",
    },
    "mw_budget_help": {
        "en": "The case's budget: {case} million CNY.",
        "zh": "算例的预算：{case} 百万元。",
    },
    "mw_run": {"en": "Run the plan", "zh": "计算方案"},
    "mw_progress_start": {"en": "Starting…", "zh": "开始计算…"},
    "mw_progress": {"en": "{pct:.0f} % — {msg}", "zh": "{pct:.0f}% — {msg}"},
    "mw_error_plan": {"en": "The plan stopped: {msg}", "zh": "方案计算中止：{msg}"},
    "mw_press_run": {
        "en": "Press “Run the plan” to choose a combination for every discharge point.",
        "zh": "点击“计算方案”，为每个排水点选定组合。",
    },
    "mw_stale": {
        "en": "The inputs changed since this plan was computed: run it again to update.",
        "zh": "输入已在计算后更改：请重新计算以更新方案。",
    },
    "mw_results_heading": {"en": "The plan", "zh": "治理方案"},
    "mw_status_optimal": {"en": "optimal", "zh": "最优"},
    "mw_status_feasible": {"en": "feasible (not proven optimal)", "zh": "可行（未证明最优）"},
    "mw_status_infeasible": {"en": "no plan meets every constraint", "zh": "无满足全部约束的方案"},
    "mw_status_line": {
        "en": "Status: {status} ({seconds:.1f} s).",
        "zh": "状态：{status}（{seconds:.1f} 秒）。",
    },
    "mw_m_npv": {"en": "NPV cost (million CNY)", "zh": "净现值费用（百万元）"},
    "mw_m_plan_capex": {"en": "Capital (million CNY)", "zh": "投资（百万元）"},
    "mw_m_budget": {"en": "Budget (million CNY)", "zh": "预算（百万元）"},
    "mw_m_acid_load": {
        "en": "Acid load, all points (kg CaCO3/d)",
        "zh": "全部排水点酸负荷（kg CaCO3/d）",
    },
    "mw_plan_caption": {
        "en": "NPV = capital now + annual cost (less reuse revenue) over {horizon:g} years at "
        "{rate:g} %/yr; every river discharge meets {standard}. Acid load at the largest "
        "seasonal flows, before source control.",
        "zh": "净现值 = 当期投资 + {horizon:g} 年年费用（扣除回用收入）按 {rate:g}%/年折现；"
        "所有排入河流的出水满足 {standard}。酸负荷按各季节最大流量、未采取源头控制时计。",
    },
    "mw_infeas_heading": {"en": "Why there is no plan", "zh": "为何无可行方案"},
    "mw_infeas_intro": {
        "en": "The engine relaxed the constraints to find the smallest violation; these are "
        "the ones that cannot be met:",
        "zh": "引擎放宽约束以求最小违反量；以下约束无法满足：",
    },
    "mw_choices_heading": {"en": "Choice per discharge point", "zh": "各排水点的选定方案"},
    "mw_no_control": {"en": "no source control", "zh": "不采取源头控制"},
    "mw_col_system": {"en": "Treatment system", "zh": "处理系统"},
    "mw_col_steps": {"en": "Steps", "zh": "处理单元"},
    "mw_col_flow_season": {"en": "Flow, {season} (m³/d)", "zh": "{season}流量（m³/d）"},
    "mw_col_npv": {"en": "NPV (CNY)", "zh": "净现值（元）"},
    "mw_col_sludge_t_yr": {"en": "Dry sludge (t/yr)", "zh": "干污泥（t/年）"},
    "mw_col_effluent_text": {"en": "Effluent (mg/L; pH)", "zh": "出水（mg/L；pH）"},
    "mw_choices_caption": {
        "en": "Flows after source control. Passive effluents are the design targets of the "
        "sizing rules (Fe 1, Al 1 mg/L; Mn 1 mg/L where a Mn step is sized; pH 7), not "
        "kinetic predictions; active effluents are PHREEQC's at the case's target pH.",
        "zh": "流量为源头控制后的值。被动工艺的出水为规模计算规则的设计目标（铁 1、铝 1 mg/L；"
        "设置除锰工序时锰 1 mg/L；pH 7），并非动力学预测；主动工艺出水为 PHREEQC 在算例目标 "
        "pH 下的计算结果。",
    },
    "mw_sys_aerobic": {"en": "Pond + aerobic wetland", "zh": "沉淀池 + 好氧湿地"},
    "mw_sys_ald": {"en": "ALD + pond + wetland", "zh": "缺氧石灰石沟 + 沉淀池 + 湿地"},
    "mw_sys_vfp": {"en": "VFP + pond + wetland", "zh": "垂直流反应池 + 沉淀池 + 湿地"},
    "mw_sys_bioreactor": {"en": "Bioreactor + pond + wetland", "zh": "生物反应器 + 沉淀池 + 湿地"},
    "mw_sys_limestone_bed": {
        "en": "Limestone bed + pond + wetland",
        "zh": "石灰石床 + 沉淀池 + 湿地",
    },
    "mw_sys_caustic": {"en": "Caustic soda (active)", "zh": "烧碱（主动）"},
    "mw_sys_hydrated_lime": {"en": "Hydrated lime (active)", "zh": "熟石灰（主动）"},
    "mw_sys_quicklime": {"en": "Quicklime (active)", "zh": "生石灰（主动）"},
    "mw_sys_lime_slurry": {"en": "Lime slurry (active)", "zh": "石灰乳（主动）"},
    "mw_sketch_heading": {"en": "Site sketch", "zh": "场地示意图"},
    "mw_sketch_title": {
        "en": "Discharge points and where their water goes",
        "zh": "排水点及其出水去向",
    },
    "mw_sketch_x": {"en": "x (km)", "zh": "x（km）"},
    "mw_sketch_y": {"en": "y (km)", "zh": "y（km）"},
    "mw_sketch_points": {"en": "Discharge points", "zh": "排水点"},
    "mw_sketch_destinations": {"en": "Destinations (schematic position)", "zh": "去向（示意位置）"},
    "mw_sketch_no_plan": {"en": "no plan", "zh": "无方案"},
    "mw_sketch_hover": {
        "en": "{point}<br>source control: {control}<br>system: {system}<br>steps: {steps}"
        "<br>to: {destination}<br>flows (m³/d): {flows}<br>NPV {npv:,.2f} million CNY",
        "zh": "{point}<br>源头控制：{control}<br>处理系统：{system}<br>处理单元：{steps}"
        "<br>去向：{destination}<br>流量（m³/d）：{flows}<br>净现值 {npv:,.2f} 百万元",
    },
    "mw_sketch_caption": {
        "en": "Points at the case's x/y (km); each labelled with its source control, treatment "
        "system and destination. Destinations are drawn to the right at schematic "
        "positions (the case gives them no coordinates).",
        "zh": "排水点按算例中的 x/y 坐标（km）绘制，标注其源头控制、处理系统与去向。"
        "去向以示意位置绘于右侧（算例未给出其坐标）。",
    },
    "mw_river_heading": {"en": "River after mixing, per season", "zh": "各季节混合后的河流水质"},
    "mw_river_title": {
        "en": "Mixed concentration in the receiving river against its limit",
        "zh": "受纳河流混合浓度与限值",
    },
    "mw_river_background": {"en": "Background (mg/L)", "zh": "背景浓度（mg/L）"},
    "mw_river_mixed": {"en": "After the discharges (mg/L)", "zh": "排水汇入后（mg/L）"},
    "mw_river_limit": {"en": "Limit (mg/L)", "zh": "限值（mg/L）"},
    "mw_river_table": {"en": "River table", "zh": "河流水质表"},
    "mw_col_season": {"en": "Season", "zh": "季节"},
    "mw_col_mixed": {"en": "Mixed (mg/L)", "zh": "混合浓度（mg/L）"},
    "mw_col_background": {"en": "Background (mg/L)", "zh": "背景浓度（mg/L）"},
    "mw_col_limit": {"en": "Limit (mg/L)", "zh": "限值（mg/L）"},
    "mw_col_discharge": {"en": "Discharges (m³/d)", "zh": "排水量（m³/d）"},
    "mw_col_river_flow": {"en": "River flow (m³/d)", "zh": "河流流量（m³/d）"},
    "mw_col_ok": {"en": "Meets", "zh": "达标"},
    "mw_river_caption": {
        "en": "Mixed = (river flow × background + Σ discharge × effluent) / (river flow + Σ "
        "discharge), per season and constituent; a red bar would break its limit.",
        "zh": "混合浓度 =（河流流量 × 背景浓度 + Σ 排水量 × 出水浓度）/（河流流量 + Σ 排水量），"
        "按季节与组分计算；红色柱表示超过限值。",
    },
    "mw_reuse_heading": {"en": "**Reuse deliveries**", "zh": "**回用供水**"},
    "mw_col_delivered": {"en": "Delivered (m³/d)", "zh": "供水量（m³/d）"},
    "mw_scores_heading": {"en": "Option scores", "zh": "工艺评分"},
    "mw_scores_title": {
        "en": "Score of each treatment system at each point (0-1; ✗ = not compliant)",
        "zh": "各排水点各处理系统得分（0–1；✗ = 不达标或不适用）",
    },
    "mw_score": {"en": "Score (0-1)", "zh": "得分（0–1）"},
    "mw_score_hover_ok": {
        "en": "NPV {npv:,.2f} million CNY<br>land {land:,.0f} m²<br>sludge {sludge:,.1f} t/yr"
        "<br>robustness {rob:.2f}",
        "zh": "净现值 {npv:,.2f} 百万元<br>占地 {land:,.0f} m²<br>污泥 {sludge:,.1f} t/年"
        "<br>稳健性 {rob:.2f}",
    },
    "mw_col_compliant": {"en": "Compliant", "zh": "达标且适用"},
    "mw_col_robustness": {"en": "Robustness (0-1)", "zh": "稳健性（0–1）"},
    "mw_scores_caption": {
        "en": "Without source control, to the first destination. Criteria scaled 0-1 among a "
        "point's compliant systems: NPV 0.4, sludge 0.15, land 0.15, robustness 0.3 "
        "(stated heuristic: active 0.9; passive 0.8 less acid load and flow variability).",
        "zh": "不采取源头控制、排往第一个去向时的评分。各指标在该排水点达标系统间归一化为 0–1："
        "净现值 0.4、污泥 0.15、占地 0.15、稳健性 0.3（经验设定：主动处理 0.9；被动处理 0.8，"
        "并按酸负荷与流量波动扣减）。",
    },
    "mw_all_options": {"en": "Every combination evaluated ({n})", "zh": "全部评估组合（{n} 个）"},
    "mw_col_feasible": {"en": "Feasible", "zh": "可行"},
    "mw_downloads": {"en": "Downloads", "zh": "下载"},
    "mw_dl_plan_json": {"en": "Plan (JSON)", "zh": "方案（JSON）"},
    "mw_dl_plan_zip": {"en": "Tables (CSV, .zip)", "zh": "表格（CSV，.zip）"},
    "mw_dl_caption": {
        "en": "The JSON is the engine's plan dict (as `cbmwater minewater plan` writes it); the "
        "zip holds it with choices, river, reuse, scores, options and infeasibility as CSV.",
        "zh": "JSON 为引擎的方案结果（与 `cbmwater minewater plan` 输出相同）；压缩包另含选定方案、"
        "河流、回用、评分、全部组合及不可行说明的 CSV 表格。",
    },
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
