-- demo_data.sql — realistic demo data for jxjy, loaded once by
-- `jxjyctl demo-data` as the owner, in one transaction, after the
-- migrations.  Deterministic: the same seed gives the same names, codes,
-- ids and hours (ids are derived from md5, not gen_random_uuid()).
-- Creates no accounts (jxjyctl makes them with real password hashes) and
-- leaves person_year_summary to the recompute step (core decides).
-- Helpers live in schema jxjy_demo, dropped at the end.

-- ---------------------------------------------------------------------------
-- Sizes (edit here)
-- ---------------------------------------------------------------------------
CREATE SCHEMA jxjy_demo;
CREATE TABLE jxjy_demo.params AS
SELECT 400   AS n_units,          -- units across all districts and industries
       5000  AS n_persons,        -- professional technical personnel
       3     AS n_years,          -- full calendar years of records before today
       0.72  AS compliant_share,  -- share of person-years planned compliant
       0.20  AS moved_share,      -- persons with an earlier employer
       0.08  AS base_share,       -- person-years with a completed base project
       0.015 AS achievement_share;

SELECT setseed(0.42);
SET LOCAL max_parallel_workers_per_gather = 0;   -- same plan, same random() order
-- FORCE ROW LEVEL SECURITY applies to a non-superuser owner too, and some
-- writes here (projects, enrolments, guides) belong to roles no single claim
-- covers: lift FORCE for the load (transactional DDL) and restore it at the
-- end.  The claims name the writer in the created_by columns.
SELECT set_config('jxjy.claims', '{"role": "city_bureau", "sub": "demo-data"}', true);
CREATE TABLE jxjy_demo.forced AS
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'jxjy' AND c.relkind = 'r' AND c.relforcerowsecurity;
DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT relname FROM jxjy_demo.forced LOOP
        EXECUTE format('ALTER TABLE jxjy.%I NO FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------
-- a stable uuid (version 4 layout) for the i-th object of a kind
CREATE FUNCTION jxjy_demo.uid(kind text, i bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18, 15))::uuid
            FROM (SELECT md5('jxjy-demo/' || kind || '/' || i) AS h) s $$;

CREATE FUNCTION jxjy_demo.pick(a text[]) RETURNS text
    LANGUAGE sql VOLATILE
    AS $$ SELECT a[1 + floor(random() * cardinality(a))::int] $$;

-- GB 32100 unified social credit code: prefix (registration authority +
-- type), 6-digit area, 8-digit organisation code body; adds the GB 11714
-- organisation-code check character and the GB 32100 check character.
CREATE FUNCTION jxjy_demo.credit_code(p_prefix text, p_area text, p_org8 text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
    alpha constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    w_org constant int[] := ARRAY[3, 7, 9, 10, 5, 8, 4, 2];
    s int := 0;
    w int := 1;
    c int;
    body text;
BEGIN
    FOR i IN 1..8 LOOP
        s := s + (strpos(alpha, substr(p_org8, i, 1)) - 1) * w_org[i];
    END LOOP;
    c := 11 - s % 11;
    body := p_prefix || p_area || p_org8
            || CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE c::text END;
    s := 0;
    FOR i IN 1..17 LOOP
        s := s + (strpos(alpha, substr(body, i, 1)) - 1) * w;
        w := w * 3 % 31;
    END LOOP;
    c := (31 - s % 31) % 31;
    RETURN body || substr(alpha, c + 1, 1);
END
$$;

-- GB 32100 check character of a 17-character body (to test the helper)
CREATE FUNCTION jxjy_demo.credit_check(body text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
    alpha constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
    s int := 0;
    w int := 1;
BEGIN
    FOR i IN 1..17 LOOP
        s := s + (strpos(alpha, substr(body, i, 1)) - 1) * w;
        w := w * 3 % 31;
    END LOOP;
    RETURN substr(alpha, (31 - s % 31) % 31 + 1, 1);
END
$$;

-- GB 11643 resident ID with the ISO 7064 MOD 11-2 check character
CREATE FUNCTION jxjy_demo.resident_id(p_area text, p_birth date, p_seq int) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
    body text := p_area || to_char(p_birth, 'YYYYMMDD') || lpad(p_seq::text, 3, '0');
    w constant int[] := ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    s int := 0;
BEGIN
    FOR i IN 1..17 LOOP
        s := s + substr(body, i, 1)::int * w[i];
    END LOOP;
    RETURN body || substr('10X98765432', s % 11 + 1, 1);
END
$$;

-- the helpers against the validation vectors of SECURITY.md
DO $$
BEGIN
    IF jxjy_demo.credit_check('91350100M000100Y4') <> '3'
       OR jxjy_demo.resident_id('360426', DATE '1991-01-01', 7) <> '360426199101010071'
       OR jxjy_demo.resident_id('440113', DATE '2014-10-05', 1) <> '44011320141005001X' THEN
        RAISE EXCEPTION 'demo helpers disagree with the validation vectors';
    END IF;
END
$$;

-- word lists
CREATE TABLE jxjy_demo.words AS
SELECT '{王,李,张,刘,陈,杨,黄,赵,吴,周,徐,孙,马,朱,胡,郭,何,高,林,罗,郑,梁,谢,宋,唐,许,韩,冯,邓,曹,彭,曾,肖,田,董,袁,潘,于,蒋,蔡,余,杜,叶,程,苏,魏,吕,丁,任,沈,姚,卢,姜,崔,钟,谭,陆,汪,范,金,石,廖,贾,夏,韦,方,白,邹,孟,熊,秦,邱,江,尹,薛,段,雷,侯,龙,史,陶,黎,贺,顾,毛,郝,龚,邵,万,钱,严,戴,孔,汤,殷,缪,浦,俞,褚,屈}'::text[] AS surnames,
       '{伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀,霞,平,刚,桂,英,华,玉,萍,红,建,文,辉,力,林,宇,浩,晨,欣,怡,婷,雪,琳,晶,颖,佳,嘉,俊,鹏,飞,斌,波,峰,凯,铭,轩,睿,博,瑞,思,雨,梦,涵,悦,蕾,倩,慧,慧,鑫,海,燕,兰,凤,洁,梅,琴,云,莲,真,环,荣,新,志,国,东,春,晓,亮,成,德,翔,智,彬,健,毅,锋,哲,蓉,薇,菲,璐,晗,昊,天,舒,逸,诚,卓,清,然,宁,安,家,和,泽,珊,岚,妍}'::text[] AS given,
       '{金鸡,东沙,天平,虎丘,太湖,阳澄,金阊,胥江,枫桥,石湖,独墅,同里,沙洲,娄江,虞山,玉峰,澄湖,尚湖,七浦,元和,黄桥,木渎,甪直,周庄,锦溪,淀山,青剑,白塔,平江,沧浪,双塔,恒达,华瑞,中科,国信,永鑫,嘉禾,瑞丰,德润,新创,博远,汇智,博雅,东吴,吴越,盛泽,震泽,浒关,望亭,渭塘,蠡口,唯亭,胜浦,斜塘,娄葑,浏河,璜泾,梅李,碧溪,塘桥,乐余,锦丰,千灯,巴城,陆家,花桥}'::text[] AS brands;

-- ---------------------------------------------------------------------------
-- Units
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy_demo.industry_weights (industry text, weight numeric, lo numeric, hi numeric);
INSERT INTO jxjy_demo.industry_weights (industry, weight) VALUES
    ('education', 20), ('health', 15), ('engineering', 14), ('economics', 9), ('accounting', 7),
    ('it', 11), ('agriculture', 5), ('law', 4), ('press', 3), ('culture', 5), ('research', 7);
UPDATE jxjy_demo.industry_weights w
   SET lo = c.cum - w.weight, hi = c.cum
  FROM (SELECT industry, sum(weight) OVER (ORDER BY industry) AS cum
          FROM jxjy_demo.industry_weights) c
 WHERE c.industry = w.industry;
UPDATE jxjy_demo.industry_weights SET lo = lo / (SELECT sum(weight) FROM jxjy_demo.industry_weights),
                                      hi = hi / (SELECT sum(weight) FROM jxjy_demo.industry_weights);

CREATE TABLE jxjy_demo.district_short AS
SELECT * FROM (VALUES ('320505', '苏州高新区', 1.0), ('320506', '苏州市吴中区', 1.1),
                      ('320507', '苏州市相城区', 0.7), ('320508', '苏州市姑苏区', 1.2),
                      ('320509', '苏州市吴江区', 1.0), ('320571', '苏州工业园区', 1.4),
                      ('320581', '常熟市', 1.0), ('320582', '张家港市', 1.0), ('320583', '昆山市', 1.4),
                      ('320585', '太仓市', 0.6)) v(code, short, weight);

CREATE TABLE jxjy_demo.units AS
WITH u AS (
    SELECT i, random() AS r_ind, random() AS r_dis, random() AS r_name, random() AS r_org,
           jxjy_demo.pick((SELECT brands FROM jxjy_demo.words)) AS brand,
           jxjy_demo.pick((SELECT brands FROM jxjy_demo.words)) AS place
      FROM generate_series(1, (SELECT n_units FROM jxjy_demo.params)) i
), d AS (
    SELECT code, short, sum(weight) OVER (ORDER BY code) / sum(weight) OVER () AS hi,
           (sum(weight) OVER (ORDER BY code) - weight) / sum(weight) OVER () AS lo
      FROM jxjy_demo.district_short
)
SELECT u.i, jxjy_demo.uid('unit', u.i) AS id, w.industry, d.code AS district, d.short,
       u.brand, u.place, u.r_name, u.r_org
  FROM u
  JOIN jxjy_demo.industry_weights w ON u.r_ind >= w.lo AND u.r_ind < w.hi
  JOIN d ON u.r_dis >= d.lo AND u.r_dis < d.hi;

INSERT INTO jxjy.units (id, credit_code, name, kind, district, industry,
                        contact_name, contact_phone, address, created_at)
SELECT x.id,
       jxjy_demo.credit_code(CASE x.kind WHEN 'institution' THEN '12' ELSE '91' END,
                             x.district, lpad((10000000 + x.i * 7919 + floor(x.r_org * 7000)::int)::text, 8, '0')),
       x.name, x.kind::jxjy.unit_kind, x.district, x.industry,
       jxjy_demo.pick((SELECT surnames FROM jxjy_demo.words)) || jxjy_demo.pick('{老师,主任,科长,经理,女士,先生}'),
       '0512-' || (60000000 + floor(random() * 9999999))::int,
       x.short || x.place || '路' || (1 + floor(random() * 400))::int || '号',
       timestamptz '2015-01-01 09:00+08' + x.i * interval '1 hour'
  FROM (
    SELECT u.*,
           CASE u.industry
             WHEN 'education' THEN (ARRAY[u.short || u.place || '实验小学',
                                          u.short || u.place || '中学',
                                          '苏州' || u.brand || '职业技术学校',
                                          u.short || u.place || '中心幼儿园'])[1 + floor(u.r_name * 4)::int]
             WHEN 'health' THEN (ARRAY[u.short || u.place || '人民医院',
                                       u.short || '中医医院',
                                       u.short || u.place || '社区卫生服务中心',
                                       u.short || '妇幼保健院'])[1 + floor(u.r_name * 4)::int]
             WHEN 'engineering' THEN (ARRAY['苏州' || u.brand || '建设工程有限公司',
                                            '苏州' || u.brand || '建筑设计研究院有限公司',
                                            '苏州' || u.brand || '市政工程有限公司',
                                            '苏州' || u.brand || '精密机械有限公司'])[1 + floor(u.r_name * 4)::int]
             WHEN 'economics' THEN (ARRAY['苏州' || u.brand || '投资管理有限公司',
                                          '苏州' || u.brand || '商贸有限公司',
                                          '苏州' || u.brand || '物流有限公司'])[1 + floor(u.r_name * 3)::int]
             WHEN 'accounting' THEN (ARRAY['苏州' || u.brand || '会计师事务所有限公司',
                                           '苏州' || u.brand || '财务咨询有限公司'])[1 + floor(u.r_name * 2)::int]
             WHEN 'it' THEN (ARRAY['苏州' || u.brand || '信息技术有限公司',
                                   '苏州' || u.brand || '软件有限公司',
                                   '苏州' || u.brand || '智能科技有限公司',
                                   '苏州' || u.brand || '微电子有限公司'])[1 + floor(u.r_name * 4)::int]
             WHEN 'agriculture' THEN (ARRAY[u.short || u.place || '农业技术推广站',
                                            '苏州' || u.brand || '农业科技有限公司'])[1 + floor(u.r_name * 2)::int]
             WHEN 'law' THEN (ARRAY['江苏' || u.brand || '律师事务所',
                                    u.short || '公证处'])[1 + floor(u.r_name * 2)::int]
             WHEN 'press' THEN (ARRAY['苏州' || u.brand || '文化传媒有限公司',
                                      '苏州' || u.brand || '印务有限公司'])[1 + floor(u.r_name * 2)::int]
             WHEN 'culture' THEN (ARRAY[u.short || '文化馆',
                                        '苏州' || u.brand || '文化艺术有限公司',
                                        u.short || u.place || '图书馆'])[1 + floor(u.r_name * 3)::int]
             ELSE (ARRAY['苏州' || u.brand || '研究所',
                         '苏州' || u.brand || '新材料科技有限公司',
                         '苏州' || u.brand || '生物医药有限公司'])[1 + floor(u.r_name * 3)::int]
           END AS name
      FROM jxjy_demo.units u
  ) x0
  CROSS JOIN LATERAL (
    SELECT x0.*, CASE WHEN x0.name ~ '(公司|事务所)$' THEN 'enterprise' ELSE 'institution' END AS kind
  ) x
 ORDER BY x.i;

-- ---------------------------------------------------------------------------
-- Persons and employment history
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy_demo.specialities AS
SELECT * FROM (VALUES
    ('education', '{中小学语文教学,中小学数学教学,英语教学,职业教育,学前教育,教育技术}'::text[]),
    ('health', '{临床医学,护理学,药学,医学检验,医学影像,公共卫生,中医学}'),
    ('engineering', '{建筑工程,结构工程,机械工程,电气工程,市政工程,工程造价}'),
    ('economics', '{金融,国际贸易,人力资源管理,统计,物流管理}'),
    ('accounting', '{会计,审计,财务管理,税务}'),
    ('it', '{软件工程,计算机网络,集成电路设计,信息安全,数据分析}'),
    ('agriculture', '{农学,园艺,水产养殖,农业机械,植物保护}'),
    ('law', '{律师,公证,法律顾问}'),
    ('press', '{编辑,出版,印刷技术,新闻采编}'),
    ('culture', '{群众文化,图书资料,文物保护,舞台艺术}'),
    ('research', '{材料科学,生物医药,化学工程,光电技术}')) v(industry, list);

CREATE TABLE jxjy_demo.persons AS
WITH p AS (
    SELECT i, random() AS r_unit, random() AS r_level, random() AS r_ind, random() AS r_cycle,
           random() AS r_sex, random() AS r_area, random() AS r_given, random() AS r_hire,
           random() AS r_moved, random() AS r_left
      FROM generate_series(1, (SELECT n_persons FROM jxjy_demo.params)) i
)
SELECT p.*, jxjy_demo.uid('person', p.i) AS id,
       jxjy_demo.uid('unit', 1 + floor((SELECT n_units FROM jxjy_demo.params) * power(p.r_unit, 1.4))::int) AS unit,
       -- 1960-01-01 .. 1999-12-31 (14 610 days); 7919 is prime to 14 610, so
       -- i -> birth date is one-to-one and the resident IDs are unique
       DATE '1960-01-01' + ((p.i * 7919) % 14610) AS birth,
       CASE WHEN p.r_level < 0.03 THEN 'senior_full'
            WHEN p.r_level < 0.15 THEN 'senior_deputy'
            WHEN p.r_level < 0.55 THEN 'intermediate'
            WHEN p.r_level < 0.85 THEN 'junior_assistant'
            ELSE 'junior_member' END AS title_level
  FROM p;

INSERT INTO jxjy.persons (id, national_id, name, unit, industry, title_level, speciality,
                          cycle_start_year, status, created_at)
SELECT p.id,
       jxjy_demo.resident_id(
           (ARRAY['320502', '320503', '320504', '320505', '320506', '320507', '320508', '320581',
                  '320582', '320583', '320584', '320585', '320586', '321281', '320106', '340104',
                  '370102', '410105', '330106', '320211'])[1 + floor(p.r_area * 20)::int],
           p.birth,
           -- odd sequence digit: male, even: female (GB 11643)
           -- (birth dates are unique, so any sequence number keeps IDs unique)
           2 * (50 + floor(p.r_given * 400)::int) + CASE WHEN p.r_sex < 0.52 THEN 1 ELSE 0 END),
       jxjy_demo.pick((SELECT surnames[1:30] || surnames FROM jxjy_demo.words))
         || jxjy_demo.pick((SELECT given FROM jxjy_demo.words))
         || CASE WHEN p.r_given < 0.7 THEN jxjy_demo.pick((SELECT given FROM jxjy_demo.words)) ELSE '' END,
       p.unit,
       CASE WHEN p.r_ind < 0.95 THEN u.industry
            ELSE (SELECT code FROM jxjy.industries ORDER BY code
                   OFFSET floor(p.r_ind * 1000)::int % 11 LIMIT 1) END,
       p.title_level::jxjy.title_level,
       jxjy_demo.pick(s.list),
       CASE WHEN p.r_cycle < 0.3 THEN 2016 ELSE 2021 END,
       'in_service'::jxjy.person_status,   -- some leave below (R-28)
       timestamptz '2016-01-01 09:00+08' + p.i * interval '10 minutes'
  FROM jxjy_demo.persons p
  JOIN jxjy.units u ON u.id = p.unit
  JOIN jxjy_demo.specialities s ON s.industry = u.industry
 ORDER BY p.i;

-- the trigger opened an employment row dated today; date it from the hire
-- (age 22-26, not before 1985, before the demo years), and give some
-- persons an earlier employer.
CREATE TABLE jxjy_demo.hires AS
SELECT p.id AS person, p.unit, p.r_moved,
       least(greatest(p.birth + ((22 + floor(p.r_hire * 5)::int) * 365), DATE '1985-09-01'),
             make_date(extract(year FROM jxjy.today())::int - (SELECT n_years FROM jxjy_demo.params) - 2, 9, 1)) AS hired,
       jxjy_demo.uid('unit', 1 + floor(random() * (SELECT n_units FROM jxjy_demo.params))::int) AS earlier_unit
  FROM jxjy_demo.persons p;

UPDATE jxjy.person_employments e
   SET from_date = CASE WHEN h.r_moved < (SELECT moved_share FROM jxjy_demo.params)
                             AND h.earlier_unit <> h.unit
                        THEN h.hired + (jxjy.today() - h.hired) / 3
                        ELSE h.hired END
  FROM jxjy_demo.hires h
 WHERE e.person = h.person AND e.to_date IS NULL;

INSERT INTO jxjy.person_employments (person, unit, from_date, to_date)
SELECT h.person, h.earlier_unit, h.hired, h.hired + (jxjy.today() - h.hired) / 3
  FROM jxjy_demo.hires h
 WHERE h.r_moved < (SELECT moved_share FROM jxjy_demo.params) AND h.earlier_unit <> h.unit;

-- ---------------------------------------------------------------------------
-- Subjects, guides, plans (R-21, R-22)
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy_demo.years AS
SELECT y FROM generate_series(extract(year FROM jxjy.today())::int - (SELECT n_years FROM jxjy_demo.params),
                              extract(year FROM jxjy.today())::int - 1) y;

INSERT INTO jxjy.public_subjects (id, year, code, title, hours)
SELECT jxjy_demo.uid('public_subject', y.y * 10 + s.n), y.y, 'GG' || y.y || '-0' || s.n, s.title, s.hours
  FROM jxjy_demo.years y
 CROSS JOIN (VALUES (1, '专业技术人员职业道德与诚信建设', 6.0),
                    (2, '知识产权保护与运用', 6.0),
                    (3, '数字经济与创新发展', 12.0),
                    (4, '专业技术人员心理健康与压力管理', 6.0)) s(n, title, hours);

INSERT INTO jxjy.guides (id, industry, year, title, status, published_at, filed_at)
SELECT jxjy_demo.uid('guide', y.y * 10 + g.n), g.industry, y.y,
       y.y || '年度' || g.name || '专业技术人员继续教育科目指南', 'published',
       make_date(y.y - 1, 12, 1)::timestamptz, make_date(y.y - 1, 12, 15)::timestamptz
  FROM jxjy_demo.years y
 CROSS JOIN (VALUES (1, 'education', '教育系统'), (2, 'health', '卫生系统'),
                    (3, 'engineering', '工程系列'), (4, 'it', '信息技术')) g(n, industry, name);

INSERT INTO jxjy.guide_subjects (id, guide, code, title, hours)
SELECT jxjy_demo.uid('guide_subject', (y.y * 10 + g.n) * 10 + s.n),
       jxjy_demo.uid('guide', y.y * 10 + g.n), upper(left(g.industry, 2)) || y.y || '-0' || s.n, s.title, s.hours
  FROM jxjy_demo.years y
 CROSS JOIN (VALUES (1, 'education'), (2, 'health'), (3, 'engineering'), (4, 'it')) g(n, industry)
  JOIN (VALUES ('education', 1, '新课程标准与课堂教学设计', 24.0), ('education', 2, '信息技术与学科教学融合', 12.0),
               ('education', 3, '学生心理健康教育', 12.0),
               ('health', 1, '临床诊疗指南更新', 24.0), ('health', 2, '医院感染预防与控制', 12.0),
               ('health', 3, '合理用药与药物警戒', 12.0),
               ('engineering', 1, '建筑工程新技术新规范', 24.0), ('engineering', 2, '绿色建筑与节能', 12.0),
               ('engineering', 3, '工程质量安全管理', 12.0),
               ('it', 1, '人工智能应用开发', 24.0), ('it', 2, '网络安全等级保护', 12.0),
               ('it', 3, '集成电路设计前沿', 12.0)) s(industry, n, title, hours)
    ON s.industry = g.industry;

INSERT INTO jxjy.plans (kind, industry, year, title, content)
SELECT 'public'::jxjy.category, NULL, y.y, y.y || '年度苏州市专业技术人员公共知识培训计划',
       jsonb_build_object('subjects', (SELECT jsonb_agg(code ORDER BY code) FROM jxjy.public_subjects ps WHERE ps.year = y.y),
                          'target_hours', jsonb_build_object('senior_intermediate', 24, 'junior', 14))
  FROM jxjy_demo.years y
UNION ALL
SELECT 'professional', g.industry, g.year, g.year || '年度' || i.name || '专业知识培训计划',
       jsonb_build_object('guide', g.id)
  FROM jxjy.guides g JOIN jxjy.industries i ON i.code = g.industry;

-- ---------------------------------------------------------------------------
-- Bases (R-16, R-17) and their approved projects (R-18, R-19)
-- ---------------------------------------------------------------------------
INSERT INTO jxjy.bases (id, name, level, district, status, accredited_at, accredited_by,
                        contact_name, contact_phone, address, created_at)
SELECT jxjy_demo.uid('base', n), name, level::jxjy.base_level, district, 'accredited',
       timestamptz '2014-06-01 10:00+08' + n * interval '30 days',
       CASE level WHEN 'city' THEN 'demo:city_bureau' ELSE 'demo:district_bureau' END,
       contact, '0512-6' || lpad((1234567 + n * 1111)::text, 7, '0'), address,
       timestamptz '2014-03-01 10:00+08' + n * interval '30 days'
  FROM (VALUES (1, '苏州市专业技术人员继续教育中心', 'city', '320508', '陆主任', '苏州市姑苏区干将西路1号'),
               (2, '苏州大学继续教育学院', 'city', '320508', '顾老师', '苏州市姑苏区十梓街1号'),
               (3, '昆山市专业技术人员继续教育基地', 'district', '320583', '周科长', '昆山市前进中路101号'),
               (4, '常熟理工学院继续教育基地', 'district', '320581', '钱老师', '常熟市南三环路99号'),
               (5, '张家港市继续教育培训中心', 'district', '320582', '沈主任', '张家港市人民中路88号'),
               (6, '苏州工业园区职业技术学院继续教育基地', 'district', '320571', '吴老师', '苏州工业园区若水路1号'))
       b(n, name, level, district, contact, address);

-- faculty: ~70 % senior titles (R-17 asks >= 60 %)
INSERT INTO jxjy.base_faculty (base, ordinal, name, title_level)
SELECT jxjy_demo.uid('base', b), k,
       jxjy_demo.pick((SELECT surnames FROM jxjy_demo.words)) || jxjy_demo.pick((SELECT given FROM jxjy_demo.words))
         || jxjy_demo.pick((SELECT given FROM jxjy_demo.words)),
       (CASE WHEN k % 10 IN (1, 2, 3) THEN 'senior_full' WHEN k % 10 IN (4, 5, 6, 7) THEN 'senior_deputy'
             ELSE 'intermediate' END)::jxjy.title_level
  FROM generate_series(1, 6) b CROSS JOIN generate_series(1, 10 + b) k;

-- managers: 5 per base, at most one without certificate (R-17 asks >= 80 %)
INSERT INTO jxjy.base_managers (base, ordinal, name, certified)
SELECT jxjy_demo.uid('base', b), k,
       jxjy_demo.pick((SELECT surnames FROM jxjy_demo.words)) || jxjy_demo.pick((SELECT given FROM jxjy_demo.words)),
       NOT (k = 5 AND b % 2 = 0)
  FROM generate_series(1, 6) b CROSS JOIN generate_series(1, 5) k;

INSERT INTO jxjy.base_systems (base, teaching_management, trainee_assessment,
                               certificate_registration, fee_management, effect_tracking)
SELECT jxjy_demo.uid('base', b), true, true, true, true, true FROM generate_series(1, 6) b;

INSERT INTO jxjy.inspections (base, inspected_on, result, score, findings, inspected_by)
SELECT jxjy_demo.uid('base', b), make_date(y.y, 11, 10 + b), 'passed', 82 + floor(random() * 15),
       '教学组织规范，学员档案齐全，培训效果跟踪到位。', 'demo:bureau'
  FROM generate_series(1, 6) b CROSS JOIN jxjy_demo.years y;

-- per base and year: two public and two professional projects, loaded as
-- the owner without claims (projects_guard, sql/0010: with claims a project
-- starts as a draft); the triggers above may have put the demo claims back
SELECT jxjy._put_claims(NULL);
INSERT INTO jxjy.projects (id, base, year, title, category, subject_public, subject_guide, hours,
                           class_type, capacity, fee, funding_government, funding_unit,
                           funding_individual, status, submitted_at, decided_by, decided_at)
SELECT jxjy_demo.uid('project', (y.y * 10 + b) * 10 + k), jxjy_demo.uid('base', b), y.y,
       coalesce(ps.title, gs.title) || '（' || y.y || '年第' || k || '期）',
       CASE WHEN k <= 2 THEN 'public' ELSE 'professional' END::jxjy.category,
       ps.id, gs.id,
       coalesce(ps.hours, gs.hours) * CASE WHEN k <= 2 THEN 2 ELSE 1 END,
       (CASE WHEN k % 2 = 0 THEN 'part_time' ELSE 'full_time' END)::jxjy.class_type,
       (ARRAY[60, 80, 100, 120, 150, 200])[1 + floor(random() * 6)::int],
       (ARRAY[300, 480, 600, 800, 1200])[1 + floor(random() * 5)::int],
       f.g, f.u, f.i,
       'approved', make_date(y.y - 1, 12, 10)::timestamptz,
       CASE WHEN b <= 2 THEN 'demo:city_bureau' ELSE 'demo:district_bureau' END,
       make_date(y.y - 1, 12, 28)::timestamptz
  FROM generate_series(1, 6) b
 CROSS JOIN jxjy_demo.years y
 CROSS JOIN generate_series(1, 4) k
  LEFT JOIN jxjy.public_subjects ps ON k <= 2 AND ps.id = jxjy_demo.uid('public_subject', y.y * 10 + 1 + (b + k) % 4)
  LEFT JOIN jxjy.guide_subjects gs ON k > 2
        AND gs.id = jxjy_demo.uid('guide_subject', (y.y * 10 + 1 + (b + k) % 4) * 10 + 1 + k % 3)
 CROSS JOIN LATERAL (SELECT (ARRAY[0, 20, 30, 0])[1 + (b + k) % 4] AS g,
                            (ARRAY[70, 50, 40, 100])[1 + (b + k) % 4] AS u,
                            (ARRAY[30, 30, 30, 0])[1 + (b + k) % 4] AS i) f;
SELECT jxjy._put_claims('{"role": "city_bureau", "sub": "demo-data"}');

-- ---------------------------------------------------------------------------
-- Records: per person and year, hour patterns that meet (or miss) the 2013
-- minimums (24 + 48 senior/intermediate, 14 + 28 junior); mostly verified,
-- some registered (pending), some rejected.
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy_demo.patterns (junior boolean, category text, meets boolean, k int, hours numeric[]);
INSERT INTO jxjy_demo.patterns VALUES
    (false, 'public', true, 1, '{12,12}'),      (false, 'public', true, 2, '{6,6,12}'),
    (false, 'public', true, 3, '{24}'),         (false, 'public', true, 4, '{6,6,6,6,3}'),
    (false, 'public', false, 1, '{12}'),        (false, 'public', false, 2, '{6,6}'),
    (false, 'public', false, 3, '{6,3,6}'),     (false, 'public', false, 4, '{12,6}'),
    (false, 'professional', true, 1, '{24,24}'),   (false, 'professional', true, 2, '{12,12,24}'),
    (false, 'professional', true, 3, '{24,12,6,6}'), (false, 'professional', true, 4, '{12,12,12,12,3}'),
    (false, 'professional', false, 1, '{24}'),     (false, 'professional', false, 2, '{12,12}'),
    (false, 'professional', false, 3, '{24,12,6}'), (false, 'professional', false, 4, '{6,6,12,3}'),
    (true, 'public', true, 1, '{6,6,3}'),       (true, 'public', true, 2, '{12,3}'),
    (true, 'public', true, 3, '{6,12}'),        (true, 'public', true, 4, '{3,3,3,6}'),
    (true, 'public', false, 1, '{6,6}'),        (true, 'public', false, 2, '{12}'),
    (true, 'public', false, 3, '{3,6}'),        (true, 'public', false, 4, '{6,3,3}'),
    (true, 'professional', true, 1, '{24,6}'),     (true, 'professional', true, 2, '{12,12,6}'),
    (true, 'professional', true, 3, '{24,12}'),    (true, 'professional', true, 4, '{6,6,6,12}'),
    (true, 'professional', false, 1, '{24}'),      (true, 'professional', false, 2, '{12,12}'),
    (true, 'professional', false, 3, '{12,6,6}'),  (true, 'professional', false, 4, '{6,6,12}');

CREATE TABLE jxjy_demo.person_years AS
SELECT p.id AS person, y.y,
       p.title_level IN ('junior_assistant', 'junior_member') AS junior,
       r.plan_ok,
       r.plan_ok OR r.which >= 0.55 AS public_ok,
       r.plan_ok OR r.which < 0.55 OR r.which >= 0.85 AS professional_ok,
       1 + floor(random() * 4)::int AS k_public,
       1 + floor(random() * 4)::int AS k_professional
  FROM jxjy_demo.persons p
 CROSS JOIN jxjy_demo.years y
 CROSS JOIN LATERAL (SELECT random() < (SELECT compliant_share FROM jxjy_demo.params) AS plan_ok,
                            random() AS which, p.i AS dummy) r
 WHERE p.r_left >= 0.02 OR y.y < extract(year FROM jxjy.today()) - 1;

CREATE TABLE jxjy_demo.record_rows AS
SELECT py.person, py.y, c.category, h.ord, h.hours,
       -- distinct dates within a person-year: slot = ordinal (+5 for professional)
       make_date(py.y, 1, 4) + ((h.ord - 1 + CASE c.category WHEN 'professional' THEN 5 ELSE 0 END) * 33
                                + floor(random() * 25))::int AS end_date,
       random() AS r_form, random() AS r_status, random() AS r_class
  FROM jxjy_demo.person_years py
 CROSS JOIN (VALUES ('public'), ('professional')) c(category)
  JOIN jxjy_demo.patterns pt
    ON pt.junior = py.junior AND pt.category = c.category
   AND pt.meets = CASE c.category WHEN 'public' THEN py.public_ok ELSE py.professional_ok END
   AND pt.k = CASE c.category WHEN 'public' THEN py.k_public ELSE py.k_professional END
 CROSS JOIN LATERAL unnest(pt.hours) WITH ORDINALITY h(hours, ord);

INSERT INTO jxjy.records (person, year, start_date, end_date, category, form, class_type, hours,
                          source, status, evidence, reason, registered_by, verified_by, verified_at,
                          created_at)
SELECT r.person, r.y,
       r.end_date - (CASE WHEN r.hours >= 24 THEN 2 WHEN r.hours >= 12 THEN 1 ELSE 0 END),
       r.end_date, r.category::jxjy.category, f.form, f.class_type::jxjy.class_type, r.hours,
       'unit', s.status::jxjy.record_status,
       '证书登记编号 SZJX-' || r.y || '-' || lpad((abs(hashtext(r.person::text || r.end_date)) % 1000000)::text, 6, '0'),
       CASE s.status WHEN 'rejected' THEN '证明材料不全，无法核实学时' END,
       'demo:unit',
       CASE WHEN s.status IN ('verified', 'rejected') THEN 'demo:district_bureau' END,
       CASE WHEN s.status IN ('verified', 'rejected') THEN (r.end_date + 20)::timestamptz END,
       (r.end_date + 3)::timestamptz + interval '10 hours'
  FROM jxjy_demo.record_rows r
 CROSS JOIN LATERAL (
    SELECT CASE
             WHEN r.category = 'public' THEN
               CASE WHEN r.r_form < 0.40 THEN 'online_education'
                    WHEN r.r_form < 0.85 THEN 'training_class'
                    ELSE 'remote_education' END
             ELSE
               CASE WHEN r.r_form < 0.40 THEN 'training_class'
                    WHEN r.r_form < 0.60 THEN 'academic_exchange'
                    WHEN r.r_form < 0.80 THEN 'online_education'
                    WHEN r.r_form < 0.90 THEN 'remote_education'
                    WHEN r.r_form < 0.93 THEN 'overseas_training'
                    ELSE 'degree_education' END
           END AS form) f0
 CROSS JOIN LATERAL (
    SELECT f0.form,
           CASE WHEN f0.form IN ('online_education', 'remote_education') THEN 'online'
                WHEN f0.form = 'degree_education' THEN 'spare_time'
                WHEN f0.form = 'overseas_training' THEN 'full_time'
                WHEN r.r_class < 0.4 THEN 'full_time'
                WHEN r.r_class < 0.75 THEN 'part_time'
                ELSE 'spare_time' END AS class_type) f
 CROSS JOIN LATERAL (
    SELECT CASE WHEN r.r_status < 0.90 THEN 'verified'
                WHEN r.r_status < 0.96 THEN 'registered'
                ELSE 'rejected' END AS status) s
 ORDER BY r.end_date, r.person, r.category, r.ord;

-- completions of base projects (source base, auto-verified: R-14)
CREATE TABLE jxjy_demo.enrol AS
SELECT py.person, py.y, pr.id AS project, pr.hours, pr.category, pr.class_type,
       jxjy_demo.uid('enrolment', row_number() OVER (ORDER BY py.y, py.person)) AS id,
       make_date(py.y, 12, 6) + floor(random() * 14)::int AS end_date
  FROM jxjy_demo.person_years py
 CROSS JOIN LATERAL (SELECT random() AS r, 1 + floor(random() * 24)::int AS pick, py.person AS p) x
  JOIN LATERAL (SELECT p.* FROM jxjy.projects p WHERE p.year = py.y
                 ORDER BY p.id OFFSET x.pick - 1 LIMIT 1) pr ON true
 WHERE x.r < (SELECT base_share FROM jxjy_demo.params);

INSERT INTO jxjy.enrolments (id, project, person, attended_hours, exam_result, status, created_at)
SELECT e.id, e.project, e.person, e.hours, 'passed', 'enrolled', make_date(e.y, 3, 1)::timestamptz
  FROM jxjy_demo.enrol e;

INSERT INTO jxjy.records (id, person, year, start_date, end_date, category, form, class_type, hours,
                          source, project, enrolment, status, evidence, registered_by,
                          verified_by, verified_at, created_at)
SELECT jxjy_demo.uid('base_record', row_number() OVER (ORDER BY e.id)), e.person, e.y,
       e.end_date - (ceil(e.hours / 8) - 1)::int, e.end_date, e.category, 'training_class',
       e.class_type, e.hours, 'base', e.project, e.id, 'verified', '基地结业证书', 'demo:base',
       'demo:base', e.end_date::timestamptz + interval '17 hours', e.end_date::timestamptz + interval '17 hours'
  FROM jxjy_demo.enrol e;

UPDATE jxjy.enrolments en
   SET status = 'completed', record = r.id, completed_at = r.created_at,
       evaluation = jsonb_build_object('satisfaction', 4 + (abs(hashtext(en.id::text)) % 2), 'applied_in_work', true)
  FROM jxjy.records r
 WHERE r.enrolment = en.id;

-- achievements (R-9): approved papers with their records, some still submitted
CREATE TABLE jxjy_demo.ach AS
SELECT p.id AS person, p.i,
       (ARRAY['paper_provincial', 'paper_provincial', 'paper_national', 'monograph', 'award_provincial'])
           [1 + floor(random() * 5)::int] AS kind,
       (SELECT min(y) FROM jxjy_demo.years) + floor(random() * (SELECT n_years FROM jxjy_demo.params))::int AS y,
       random() AS r
  FROM jxjy_demo.persons p
 WHERE random() < (SELECT achievement_share FROM jxjy_demo.params);

INSERT INTO jxjy.achievements (id, person, kind, year, title, venue, project_key, speciality_related,
                               status, hours, credited_hours, submitted_by, reviewed_by, reviewed_at, created_at)
SELECT jxjy_demo.uid('achievement', a.i), a.person, a.kind, a.y,
       CASE a.kind WHEN 'monograph' THEN '《' || s.list[1] || '实务研究》'
                   WHEN 'award_provincial' THEN s.list[1] || '关键技术研究与应用'
                   ELSE '关于' || s.list[1] || '若干问题的探讨' END,
       CASE a.kind WHEN 'paper_provincial' THEN '江苏' || s.list[1] || '杂志'
                   WHEN 'paper_national' THEN '中国' || s.list[1] || '杂志'
                   WHEN 'monograph' THEN '苏州大学出版社'
                   ELSE '江苏省人民政府' END,
       CASE WHEN a.kind LIKE 'award%' THEN 'PRJ-' || a.i END,
       CASE WHEN a.r < 0.8 THEN true END,
       (CASE WHEN a.r < 0.8 THEN 'approved' ELSE 'submitted' END)::jxjy.achievement_status,
       CASE WHEN a.r < 0.8 THEN c.min_hours + 2 END,
       CASE WHEN a.r < 0.8 THEN c.min_hours + 2 END,
       'demo:unit',
       CASE WHEN a.r < 0.8 THEN 'demo:district_bureau' END,
       CASE WHEN a.r < 0.8 THEN make_date(a.y, 8, 1)::timestamptz END,
       make_date(a.y, 7, 1)::timestamptz
  FROM jxjy_demo.ach a
  JOIN jxjy.persons p ON p.id = a.person
  JOIN jxjy_demo.specialities s ON s.industry = p.industry
  JOIN jxjy.rule_set_conversions c
    ON c.rule_set = '00000000-0000-4000-8000-000000002013' AND c.kind = a.kind;

INSERT INTO jxjy.records (person, year, start_date, end_date, category, form, class_type, hours,
                          source, achievement, status, evidence, registered_by, verified_by, verified_at,
                          created_at)
SELECT a.person, a.year, make_date(a.year, 6, 30), make_date(a.year, 6, 30), 'professional', a.kind, NULL,
       a.credited_hours, 'achievement', a.id, 'verified', a.venue, 'demo:district_bureau',
       a.reviewed_by, a.reviewed_at, a.reviewed_at
  FROM jxjy.achievements a
 WHERE a.status = 'approved' AND a.credited_hours > 0;

-- ---------------------------------------------------------------------------
-- Cycle assessments, open transfers, evaluations, commendations
-- ---------------------------------------------------------------------------
-- 2% left service at the start of last year (R-28: a dated change; their
-- records all end before it, R-31)
INSERT INTO jxjy.person_changes (person, effective_date, kind, status, recorded_by)
SELECT p.id, make_date(extract(year FROM jxjy.today())::int - 1, 1, 1), 'change', 'left', 'demo:unit'
  FROM jxjy_demo.persons p
 WHERE p.r_left < 0.02
 ORDER BY p.i;

-- persons registered in 2016: the 2016-2020 cycle has been assessed
INSERT INTO jxjy.cycle_assessments (person, cycle_start_year, cycle_end_year, result, assessed_on, recorded_by)
SELECT p.id, 2016, 2020, CASE WHEN random() < 0.93 THEN 'passed' ELSE 'failed' END::jxjy.outcome,
       DATE '2021-03-15' + floor(random() * 40)::int, 'demo:unit'
  FROM jxjy.persons p
 WHERE p.cycle_start_year = 2016
 ORDER BY p.id;

-- a few transfer requests waiting for the receiving unit
INSERT INTO jxjy.transfers (person, to_unit, reason, requested_by)
SELECT p.id, jxjy_demo.uid('unit', 1 + (p.i * 37) % (SELECT n_units FROM jxjy_demo.params)), '工作调动', 'demo:unit'
  FROM jxjy_demo.persons p
 WHERE p.i % 500 = 7 AND p.unit <> jxjy_demo.uid('unit', 1 + (p.i * 37) % (SELECT n_units FROM jxjy_demo.params));

INSERT INTO jxjy.unit_evaluations (unit, year, grade, notes, evaluated_by)
SELECT u.id, (SELECT max(y) FROM jxjy_demo.years),
       (ARRAY['优秀', '良好', '良好', '合格', '合格', '不合格'])[1 + floor(random() * 6)::int],
       '继续教育工作纳入单位领导目标责任考核；学时登记及时。', 'demo:district_bureau'
  FROM jxjy.units u
 WHERE random() < 0.15
 ORDER BY u.id;

INSERT INTO jxjy.commendations (year, target_type, target_id, title)
SELECT (SELECT max(y) FROM jxjy_demo.years), 'unit'::jxjy.commendation_target, u.id, '专业技术人员继续教育工作先进单位'
  FROM (SELECT id FROM jxjy.units ORDER BY id LIMIT 8) u
UNION ALL
SELECT (SELECT max(y) FROM jxjy_demo.years), 'person', p.id, '专业技术人员继续教育先进个人'
  FROM (SELECT id FROM jxjy.persons WHERE status = 'in_service' ORDER BY id LIMIT 20) p;

DO $$
DECLARE t text;
BEGIN
    FOR t IN SELECT relname FROM jxjy_demo.forced LOOP
        EXECUTE format('ALTER TABLE jxjy.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;

SET LOCAL client_min_messages = warning;
DROP SCHEMA jxjy_demo CASCADE;
SELECT set_config('jxjy.claims', '', true);
