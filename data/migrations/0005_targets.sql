-- Planning targets (เป้าหมาย): a national figure to reach by a year, measured by a catalogue
-- indicator. The five targets of CODI's 2017-2021 strategy (seed 003, ยุทธศาสตร์ พอช.
-- 2560-2564) are seeded here; planners add more through the dashboard or a CSV.
--
-- indicator_key names the catalogue indicator (analysis/catalogue.py) whose current value
-- is the progress. Where no register holds the target's own measure, is_proxy is true and
-- proxy_note_* says plainly what is counted instead; every view shows that note.
-- apportion_by splits a national target over regions and clusters for the progress charts:
-- in proportion to their tambons or provinces, or not at all ('none').

CREATE TABLE plan_target (
    key VARCHAR PRIMARY KEY CHECK (regexp_full_match(key, '[a-z][a-z0-9_]{1,62}')),
    name_th VARCHAR NOT NULL CHECK (length(trim(name_th)) > 0),
    name_en VARCHAR NOT NULL CHECK (length(trim(name_en)) > 0),
    target_value DOUBLE NOT NULL CHECK (target_value > 0),
    unit_th VARCHAR NOT NULL,
    unit_en VARCHAR NOT NULL,
    start_year INTEGER NOT NULL CHECK (start_year BETWEEN 1990 AND 2199),
    end_year INTEGER NOT NULL CHECK (end_year BETWEEN 1990 AND 2199),
    indicator_key VARCHAR NOT NULL CHECK (regexp_full_match(indicator_key, '[a-z][a-z0-9_]{0,62}')),
    is_proxy BOOLEAN NOT NULL DEFAULT false,
    proxy_note_th VARCHAR NOT NULL DEFAULT '',
    proxy_note_en VARCHAR NOT NULL DEFAULT '',
    apportion_by VARCHAR NOT NULL DEFAULT 'tambons'
        CHECK (apportion_by IN ('tambons', 'provinces', 'none')),
    source VARCHAR NOT NULL CHECK (length(trim(source)) > 0),
    created_by VARCHAR NOT NULL DEFAULT 'system',
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (end_year >= start_year),
    CHECK (NOT is_proxy OR length(trim(proxy_note_en)) > 0)
);

INSERT INTO plan_target (key, name_th, name_en, target_value, unit_th, unit_en, start_year,
                         end_year, indicator_key, is_proxy, proxy_note_th, proxy_note_en,
                         apportion_by, source) VALUES
('plans_linked_tambons',
 'แผนพัฒนาชุมชนท้องถิ่นเชื่อมโยงสู่แผนของหน่วยงาน',
 'Tambon plans linked to agency plans',
 3000, 'ตำบล', 'tambons', 2017, 2021, 'tambons_with_council', true,
 'ยังไม่มีทะเบียนแผนตำบลที่เชื่อมกับแผนหน่วยงาน ใช้จำนวนตำบลที่มีสภาองค์กรชุมชน (เวทีที่จัดทำแผน) แทน',
 'No register of tambon plans linked to agency plans exists; counted instead: tambons with a community council (the forum that makes the plan)',
 'tambons', 'seed 003: CODI strategy 2017-2021, strategic issue 1, target 1'),
('households_housed',
 'ครัวเรือนผู้มีรายได้น้อยมีที่อยู่อาศัยมั่นคง',
 'Low-income households housed',
 176714, 'ครัวเรือน', 'households', 2017, 2021, 'baan_mankong_households_completed', true,
 'นับเฉพาะครัวเรือนในโครงการบ้านมั่นคงที่เสร็จสิ้นแล้ว โครงการที่อยู่อาศัยอื่นยังไม่มีข้อมูล',
 'Counts only households in completed Baan Mankong projects; other housing programmes are not recorded',
 'tambons', 'seed 003: CODI strategy 2017-2021, strategic issue 1, target 2'),
('province_networks',
 'เครือข่ายความร่วมมือชุมชนท้องถิ่นจัดการตนเอง',
 'Cooperation networks for local self-management',
 77, 'จังหวัด', 'provinces', 2017, 2021, 'provinces_with_network', true,
 'นับจังหวัดที่มีเครือข่ายองค์กรชุมชนที่ดำเนินการอยู่ในทะเบียน ไม่ใช่การประเมินความร่วมมือกับหน่วยงาน',
 'Counts provinces with an active community network in the register, not an assessment of cooperation with agencies',
 'provinces', 'seed 003: CODI strategy 2017-2021, strategic issue 2'),
('community_leaders',
 'ผู้นำชุมชนมีความรู้ความสามารถเท่าทันการเปลี่ยนแปลง',
 'Capable community leaders',
 15000, 'คน', 'people', 2017, 2021, 'community_leaders', true,
 'ยังไม่มีทะเบียนผู้นำที่ผ่านการพัฒนา ใช้จำนวนประธานกลุ่ม/องค์กรชุมชนที่ดำเนินการอยู่แทน',
 'No register of trained leaders exists; counted instead: named chairs of active community organizations',
 'tambons', 'seed 003: CODI strategy 2017-2021, strategic issue 3, target 1'),
('quality_org_tambons',
 'องค์กรชุมชนมีคุณภาพและขีดความสามารถ (ร้อยละ 80 ของพื้นที่ อปท.)',
 'Quality community organizations (80% of local-government areas)',
 6260, 'ตำบล', 'tambons', 2017, 2021, 'quality_org_tambons', true,
 'ยังไม่มีข้อมูลการประเมินคุณภาพองค์กร ใช้ตำบลที่มีสภาองค์กรชุมชนและกลุ่มออมทรัพย์หรือกองทุนสวัสดิการที่ดำเนินการอยู่แทน',
 'No assessment of organization quality exists; counted instead: tambons with an active council and an active savings group or welfare fund',
 'tambons', 'seed 003: CODI strategy 2017-2021, strategic issue 3, target 2');
