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
    "opt_upload": {"en": "Case (.zip of case.toml and its CSV tables)",
                   "zh": "算例（含 case.toml 及其 CSV 表的 .zip 文件）"},
    "opt_upload_help": {
        "en": "Zip the case folder: case.toml (format: docs/optimise_case_format.md) with the "
              "analyses and wells CSV files it names, at the top of the zip or in one folder. "
              "Every file the case names must be inside the zip (no '..' paths).",
        "zh": "将算例文件夹打包为 zip：case.toml（格式见 docs/optimise_case_format.md）及其引用的"
              "水质分析表和井表 CSV，可位于 zip 根目录或同一文件夹内。算例引用的所有文件都必须"
              "包含在 zip 中（不允许 '..' 路径）。",
    },
    "opt_upload_wait": {"en": "Upload a .zip holding case.toml and its CSV tables.",
                        "zh": "请上传包含 case.toml 及其 CSV 表的 .zip 文件。"},
    "opt_error_case": {"en": "The case cannot be read: {msg}", "zh": "算例无法读取：{msg}"},
    "opt_error_edit": {"en": "The edited case is not valid: {msg}",
                       "zh": "修改后的算例无效：{msg}"},
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
    "opt_glance_production": {"en": "**Produced water by station (m³/d, period averages)**",
                              "zh": "**各集输站产水量（m³/d，时段平均）**"},
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
    "opt_price_help": {"en": "Paid to the operator per m³ delivered (revenue).",
                       "zh": "用户按每立方米接收水量支付给运营方的价格（收入）。"},
    "opt_col_fee": {"en": "Fee (CNY/m³)", "zh": "收费（元/m³）"},
    "opt_fee_help": {"en": "Charged to the operator per m³ delivered (disposal, injection or "
                           "discharge fee).",
                     "zh": "运营方按每立方米送出水量支付的费用（处置、回注或排放费用）。"},
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
    "opt_press_run": {"en": "Press **Run optimisation** to optimise this case.",
                      "zh": "点击 **运行优化** 对该算例进行优化。"},
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
    "opt_status_feasible": {"en": "feasible (time limit reached, gap open)",
                            "zh": "可行（达到时限，间隙未闭合）"},
    "opt_status_infeasible": {"en": "infeasible: no plan meets every constraint",
                              "zh": "不可行：不存在满足全部约束的方案"},
    "opt_status_iteration_limit": {
        "en": "iteration limit: the PHREEQC checks still find violations (listed below)",
        "zh": "达到迭代上限：PHREEQC 校核仍发现超限（见下表）",
    },
    "opt_status_no_solution": {"en": "no solution found within the time limit",
                               "zh": "时限内未找到解"},
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
    "opt_m_npv": {"en": "NPV cost (million CNY, {year})", "zh": "净现值费用（百万元，{year} 年价）"},
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
    "opt_sankey_one": {"en": "Period {period} ({year}), m³/d", "zh": "第 {period} 时段（{year} 年），m³/d"},
    "opt_sankey_title_all": {"en": "Station → train → destination, whole horizon (m³)",
                             "zh": "集输站 → 处理工艺 → 去向，整个规划期（m³）"},
    "opt_sankey_title_period": {"en": "Station → train → destination, period {period} ({year}), m³/d",
                                "zh": "集输站 → 处理工艺 → 去向，第 {period} 时段（{year} 年），m³/d"},
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
    "opt_cost_title": {"en": "NPV by category: total {total:,.3f} million CNY ({year})",
                       "zh": "各类费用净现值：合计 {total:,.3f} 百万元（{year} 年价）"},
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
    "opt_cat_transport": {"en": "Transport", "zh": "输送"},
    "opt_cat_fees": {"en": "Fees", "zh": "接收费用"},
    "opt_cat_revenue": {"en": "Revenue", "zh": "售水收入"},
    "opt_cat_total": {"en": "Total", "zh": "合计"},
    "opt_col_category": {"en": "Category", "zh": "费用类别"},
    "opt_col_npv_cny": {"en": "NPV (CNY)", "zh": "净现值（元）"},
    "opt_col_npv_mcny": {"en": "NPV (million CNY)", "zh": "净现值（百万元）"},
    "opt_builds_heading": {"en": "Plants to build", "zh": "拟建装置"},
    "opt_no_builds": {"en": "No plant is built: the water leaves untreated.",
                      "zh": "无需新建装置：水不经处理直接送出。"},
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
    "opt_col_effective_limits": {"en": "Effective limits (mg/L, source)",
                                 "zh": "实际适用限值（mg/L，来源）"},
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
        "zh": "引擎对水量平衡、容量和水质限值加入带惩罚的松弛变量，找出所需的最小松弛。"
              "冲突如下：",
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
    "opt_verify_line": {"en": "Re-check of every constraint on the returned flows: {ok}",
                        "zh": "按返回流量复核全部约束：{ok}"},
    "opt_col_iteration": {"en": "Iteration", "zh": "迭代"},
    "opt_col_status": {"en": "Status", "zh": "状态"},
    "opt_col_objective": {"en": "Objective", "zh": "目标值"},
    "opt_col_gap": {"en": "Gap", "zh": "间隙"},
    "opt_col_cuts_added": {"en": "Cuts added", "zh": "新增割平面"},
    "opt_col_hubs_updated": {"en": "Central plants re-simulated", "zh": "重新模拟的集中处理站"},
    "opt_col_reason": {"en": "Note", "zh": "备注"},
    "opt_cuts_line": {"en": "**{n} geochemical cut(s)** added by the PHREEQC checks:",
                      "zh": "PHREEQC 校核共添加 **{n} 个地球化学割平面**："},
    "opt_col_property": {"en": "Checked property", "zh": "校核项"},
    "opt_col_sense": {"en": "Sense", "zh": "约束方向"},
    "opt_col_cut_limit": {"en": "Limit", "zh": "限值"},
    "opt_col_cut_value": {"en": "PHREEQC value", "zh": "PHREEQC 计算值"},
    "opt_col_terms": {"en": "Terms", "zh": "项数"},
    "opt_dest_active": {"en": "Only rows that receive water or break a limit",
                        "zh": "仅显示接收水量或超限的行"},
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
    "opt_pareto_heading": {"en": "Pareto front: cost against reuse", "zh": "帕累托前沿：费用与回用"},
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
