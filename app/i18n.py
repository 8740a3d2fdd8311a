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
            "Defaults from databases/treatment/economics.toml: {elec:g} CNY/kWh, {rate:g} %/yr, "
            "{life:g} yr. All money in CNY of {year}."
        ),
        "zh": "默认值取自 databases/treatment/economics.toml：{elec:g} 元/kWh、{rate:g} %/年、{life:g} 年。所有金额均为 {year} 年价格的人民币。",
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
    "si_limit_title": {"en": "Concentrate SI at the limit: {unit}", "zh": "限制回收率下浓水饱和指数：{unit}"},
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
    "log_y": {"en": "Logarithmic concentration axis", "zh": "浓度轴取对数"},
    "stage_chart_y": {"en": "Concentration at the stage outlet (mg/L)", "zh": "单元出水浓度 (mg/L)"},
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
    "cost_chart_y": {"en": "Annual cost (CNY/yr, {year} prices)", "zh": "年费用 (元/年，{year} 年价格)"},
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
    "cat_brine_disposal": {"en": "Brine disposal", "zh": "浓水处置"},
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
