-- 0002_reference.sql — reference data: Suzhou's districts, industries
-- (professional series), forms and conversion kinds, the 2013 city rule set.
-- Applied by the migration runner after 0001, in one transaction.

-- FORCE ROW LEVEL SECURITY applies to the owner as well (unless it is a
-- superuser), and reference tables have no write policy: lift FORCE for the
-- length of this transaction (DDL is transactional) and put it back at the
-- end.  The claims only name the writer in created_by.
SELECT pg_catalog.set_config('jxjy.claims', '{"role": "city_bureau", "sub": "migration:0002"}', true);
ALTER TABLE jxjy.districts NO FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.industries NO FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.forms NO FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_sets NO FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_set_minimums NO FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_set_conversions NO FORCE ROW LEVEL SECURITY;

-- Districts (GB/T 2260).  苏州工业园区 has no GB/T 2260 code; statistics know
-- it as 320571, so it is stored under that code, flagged as a functional zone.
INSERT INTO jxjy.districts (code, name, functional_zone) VALUES
    ('320505', '虎丘区（苏州高新区）', false),
    ('320506', '吴中区', false),
    ('320507', '相城区', false),
    ('320508', '姑苏区', false),
    ('320509', '吴江区', false),
    ('320571', '苏州工业园区', true),
    ('320581', '常熟市', false),
    ('320582', '张家港市', false),
    ('320583', '昆山市', false),
    ('320585', '太仓市', false);

-- Industries / professional series (行业、系统).  Short lower-case codes.
INSERT INTO jxjy.industries (code, name) VALUES
    ('education',   '教育'),
    ('health',      '卫生'),
    ('engineering', '工程'),
    ('agriculture', '农业'),
    ('economics',   '经济'),
    ('accounting',  '会计'),
    ('it',          '信息技术'),
    ('law',         '法律（公证）'),
    ('press',       '新闻出版'),
    ('culture',     '文化艺术'),
    ('research',    '自然科学研究');

-- Forms (R-10) and the achievement kinds of the 2013 text (R-9).  Kinds the
-- city bureau adds later (R-9c) are new rows with is_achievement = true.
INSERT INTO jxjy.forms (code, name, is_achievement, builtin) VALUES
    ('training_class',    '培训班',               false, true),
    ('overseas_training', '出国培训',             false, true),
    ('academic_exchange', '学术交流',             false, true),
    ('degree_education',  '学历教育',             false, true),
    ('remote_education',  '远程教育',             false, true),
    ('online_education',  '网络教育',             false, true),
    ('paper_provincial',  '部省级刊物发表论文',   true,  true),
    ('paper_national',    '国家级刊物发表论文',   true,  true),
    ('monograph',         '出版专著',             true,  true),
    ('award_provincial',  '科技成果获部省级奖项', true,  true),
    ('award_national',    '科技成果获国家级奖项', true,  true);

-- The city default rule set of the 2013 implementing opinions
-- (苏州市专业技术人员继续教育实施意见, issued 2013-03-12).
--   * cycle_years: the text says "4—5年为一个周期"; the field takes one
--     value, and 5 is chosen because it is the longer bound (never fails a
--     person earlier than the text allows) and matches the city's five-year
--     certificate (证书) period.  A later rule set can say 4.
--   * effective_from is the date of issue; note that R-6 picks the set in
--     force on 1 January, so year 2013 itself has no set in force under this
--     row — a deliberate, visible consequence of the rule, not of the data.
--   * R-17: the city-level thresholds are 60 % senior faculty and 80 %
--     certified managers.  The text gives no district-level thresholds; the
--     district columns repeat the city's until a district rule says otherwise.
-- Fixed id so that tests and tools can name it.
INSERT INTO jxjy.rule_sets (id, industry, name, effective_from, effective_to, cycle_years,
                            auto_verify_base_completions,
                            city_senior_faculty_pct, city_certified_manager_pct,
                            district_senior_faculty_pct, district_certified_manager_pct,
                            created_by)
VALUES ('00000000-0000-4000-8000-000000002013', NULL,
        '苏州市专业技术人员继续教育实施意见（2013）', DATE '2013-03-12', NULL, 5,
        true, 60, 80, 60, 80, 'migration:0002');

-- R-4/R-5: 72 h (24 public + 48 professional) for senior and intermediate,
-- 42 h (14 + 28) for junior titles.
INSERT INTO jxjy.rule_set_minimums (rule_set, title_level, public_hours, professional_hours) VALUES
    ('00000000-0000-4000-8000-000000002013', 'senior_full',      24, 48),
    ('00000000-0000-4000-8000-000000002013', 'senior_deputy',    24, 48),
    ('00000000-0000-4000-8000-000000002013', 'intermediate',     24, 48),
    ('00000000-0000-4000-8000-000000002013', 'junior_assistant', 14, 28),
    ('00000000-0000-4000-8000-000000002013', 'junior_member',    14, 28);

-- R-9 conversion table
INSERT INTO jxjy.rule_set_conversions (rule_set, kind, min_hours, max_hours) VALUES
    ('00000000-0000-4000-8000-000000002013', 'paper_provincial', 10, 15),
    ('00000000-0000-4000-8000-000000002013', 'paper_national',   15, 20),
    ('00000000-0000-4000-8000-000000002013', 'monograph',        20, 25),
    ('00000000-0000-4000-8000-000000002013', 'award_provincial', 15, 20),
    ('00000000-0000-4000-8000-000000002013', 'award_national',   20, 25);

ALTER TABLE jxjy.districts FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.industries FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.forms FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_sets FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_set_minimums FORCE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_set_conversions FORCE ROW LEVEL SECURITY;
SELECT pg_catalog.set_config('jxjy.claims', '', true);
