// The decision policy: read the current version, change its rules, publish a new signed version.
import { api, errorText, reasonLabel } from '../api.js';
import { field, fill, formValues, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { provinceName, provinceOptions, term } from '../words.js';

/** What each rule does, in words, under its field: the people who publish a policy are not its authors. */
const HELP = {
  rtPcr: ['Kết quả RT-PCR âm tính được chấp nhận trong bấy nhiêu giờ kể từ lúc lấy mẫu (năm 2021: 72 giờ).', 'How long a negative RT-PCR result counts, from sampling (72 h in 2021).'],
  rapid: ['Kết quả test nhanh âm tính được chấp nhận trong bấy nhiêu giờ kể từ lúc lấy mẫu.', 'How long a negative rapid antigen result counts, from sampling.'],
  maxDeclarationAgeHours: ['Khai báo y tế cũ hơn mức này thì chốt yêu cầu khai báo lại.', 'A health declaration older than this must be made again.'],
  testRequiredForCrew: ['Lái xe, phụ xe của xe chở hàng phải có xét nghiệm âm tính còn hạn, bất kể đi từ đâu.', 'Goods vehicle crews need a valid negative test wherever they come from.'],
  testRequiredZoneLevels: ['Người đi từ vùng có cấp độ dịch này (Nghị quyết 128: 1 xanh … 4 đỏ) phải có xét nghiệm âm tính.', 'People from zones of these levels (Resolution 128: 1 green … 4 red) need a negative test.'],
  blockedZoneLevels: ['Người không có giấy phép đi từ vùng có cấp độ này thì không cho qua.', 'People without a pass coming from zones of these levels are refused.'],
  vaccinationReplacesTest: ['Nếu có: người tiêm đủ số mũi tối thiểu không cần xét nghiệm.', 'If yes: people with the minimum doses need no test.'],
  minDosesToReplaceTest: ['Số mũi vắc-xin tối thiểu để thay cho xét nghiệm (khi được phép).', 'Vaccine doses needed to replace a test (when allowed).'],
  antiPassback: ['Khi một mã vào hai lần mà chưa ra (hoặc ra mà chưa vào): không kiểm tra, cảnh báo để cán bộ xem, hoặc không cho qua.', 'When a code enters twice without leaving (or leaves without entering): ignore, warn the officer, or refuse.'],
  maxCacheStaleHours: ['Dữ liệu tại chốt cũ hơn mức này (mất kết nối lâu) thì mọi lượt cần cán bộ kiểm tra.', 'When a checkpoint\'s data is older than this (long offline), every scan needs an officer\'s look.'],
  crossingWindowSeconds: ['Thời gian chờ quét đủ người trên xe sau khi quét giấy phép; hết thời gian thì lượt qua được đóng.', 'How long a vehicle crossing waits for its crew\'s scans after the pass scan before it closes.'],
};
const help = (name) => h('small', { class: 'muted help' }, L(...HELP[name]));
const explained = (label, name, input) => h('div', {}, field(label, input), help(name));

const levels = (text) => [...new Set(text.split(/[,;\s]+/).filter(Boolean).map(Number))].sort();

/**
 * Each province has its own policy. A national admin picks the province it reads and publishes (the
 * server refuses a national publish that names none); everyone else sees their own province's.
 */
export async function renderPolicy(main, ctx, chosen) {
  const national = ctx?.user?.scopeLevel === 'national';
  const province = national ? (chosen ?? ctx.user.province) : null;
  const q = province === null ? '' : `province=${province}`;
  const [current, history] = await Promise.all([api('GET', `/api/v1/policy${q ? `?${q}` : ''}`), api('GET', `/api/v1/policy/history?limit=20${q ? `&${q}` : ''}`)]);
  const picker = national ? h('div', { class: 'field-box' }, h('span', {}, L('Tỉnh/thành phố', 'Province')),
    h('select', { name: 'policyProvince', 'aria-label': L('Tỉnh/thành phố', 'Province'), on: { change: (e) => renderPolicy(main, ctx, Number(e.target.value)) } },
      provinceOptions().map((o) => h('option', { value: o.code, selected: Number(o.code) === province }, o.name)))) : null;
  const p = current.policy;
  const out = h('div');
  const num = (name, value, min, max, step = 1) => h('input', { name, type: 'number', min, max, step, required: true, value });
  const bool = (name, value) => h('select', { name }, h('option', { value: 'true', selected: value }, L('Có', 'Yes')), h('option', { value: 'false', selected: !value }, L('Không', 'No')));
  const form = h('form', { class: 'card' },
    h('h2', {}, L('Quy tắc (sửa rồi ban hành phiên bản mới)', 'Rules (edit, then publish a new version)')),
    h('div', { class: 'grid' },
      explained(L('Hiệu lực xét nghiệm RT-PCR (giờ)', 'RT-PCR test validity (hours)'), 'rtPcr', num('rtPcr', p.testValidityHours.RT_PCR, 1, 720)),
      explained(L('Hiệu lực test nhanh (giờ)', 'Rapid antigen validity (hours)'), 'rapid', num('rapid', p.testValidityHours.RAPID_ANTIGEN, 1, 720)),
      explained(L('Tuổi tối đa của khai báo y tế (giờ)', 'Maximum declaration age (hours)'), 'maxDeclarationAgeHours', num('maxDeclarationAgeHours', p.maxDeclarationAgeHours, 1, 2160)),
      explained(L('Tổ lái bắt buộc xét nghiệm', 'Crew must have a test'), 'testRequiredForCrew', bool('testRequiredForCrew', p.testRequiredForCrew)),
      explained(L('Cấp vùng phải xét nghiệm (vd. 3,4)', 'Zone levels needing a test (e.g. 3,4)'), 'testRequiredZoneLevels', h('input', { name: 'testRequiredZoneLevels', pattern: '[1-4,; ]*', 'data-hint': 'levels', value: p.testRequiredZoneLevels.join(',') })),
      explained(L('Cấp vùng bị chặn (không có giấy phép)', 'Zone levels blocked (without a pass)'), 'blockedZoneLevels', h('input', { name: 'blockedZoneLevels', pattern: '[1-4,; ]*', 'data-hint': 'levels', value: p.blockedZoneLevels.join(',') })),
      explained(L('Tiêm chủng thay xét nghiệm', 'Vaccination replaces a test'), 'vaccinationReplacesTest', bool('vaccinationReplacesTest', p.vaccinationReplacesTest)),
      explained(L('Số mũi tối thiểu', 'Minimum doses'), 'minDosesToReplaceTest', num('minDosesToReplaceTest', p.minDosesToReplaceTest, 1, 10)),
      explained(L('Chống quẹt lặp', 'Anti-passback'), 'antiPassback', h('select', { name: 'antiPassback' }, ['off', 'soft', 'hard'].map((m) => h('option', { value: m, selected: p.antiPassback === m }, term('antiPassback', m))))),
      explained(L('Dữ liệu tại chốt cũ tối đa (giờ)', 'Maximum checkpoint data age (hours)'), 'maxCacheStaleHours', num('maxCacheStaleHours', p.maxCacheStaleHours, 0.01, 720, 0.01)),
      explained(L('Thời gian chờ quét đủ người (giây)', 'Crossing window (seconds)'), 'crossingWindowSeconds', num('crossingWindowSeconds', p.crossingWindowSeconds, 5, 3600))),
    p.severity && Object.keys(p.severity).length ? h('p', { class: 'muted' }, L('Mức độ riêng theo lý do (giữ nguyên): ', 'Per-reason severities (kept): '),
      Object.entries(p.severity).map(([k, v]) => `${reasonLabel(k)} → ${v === 'INFO' ? L('chỉ ghi nhận', 'note only') : term('verdict', v)}`).join('; ')) : null,
    h('div', { class: 'row', style: 'margin-top:10px' }, h('button', { type: 'submit' }, L('Ban hành phiên bản mới', 'Publish a new version'))), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const rules = {
      testValidityHours: { RT_PCR: Number(v.rtPcr), RAPID_ANTIGEN: Number(v.rapid) },
      maxDeclarationAgeHours: Number(v.maxDeclarationAgeHours),
      testRequiredForCrew: v.testRequiredForCrew === 'true',
      testRequiredZoneLevels: levels(v.testRequiredZoneLevels),
      blockedZoneLevels: levels(v.blockedZoneLevels),
      vaccinationReplacesTest: v.vaccinationReplacesTest === 'true',
      minDosesToReplaceTest: Number(v.minDosesToReplaceTest),
      antiPassback: v.antiPassback,
      maxCacheStaleHours: Number(v.maxCacheStaleHours),
      crossingWindowSeconds: Number(v.crossingWindowSeconds),
      ...(p.severity ? { severity: p.severity } : {}),
    };
    try {
      const r = await api('POST', `/api/v1/policy${q ? `?${q}` : ''}`, { json: rules });
      await renderPolicy(main, ctx, province ?? undefined);
      main.querySelector('h1')?.after(h('div', { class: 'notice', 'data-testid': 'published' },
        L(`Đã ban hành phiên bản ${r.version}; các trạm nhận qua đồng bộ.`, `Version ${r.version} published; stations receive it when they sync.`)));
    } catch (err) {
      fill(out, h('div', { class: 'error' }, errorText(err)));
    }
  });
  fill(main,
    h('h1', {}, L(`Chính sách kiểm soát · phiên bản ${current.version}`, `Control policy · version ${current.version}`)),
    picker,
    current.province === null ? h('p', { class: 'muted' }, L('Tỉnh chưa ban hành chính sách riêng: đang áp dụng chính sách chung của hệ thống.', 'The province has no policy of its own yet: the deployment\'s policy applies.'))
      : h('p', { class: 'muted' }, L(`Chính sách của ${provinceName(current.province)}.`, `${provinceName(current.province)}'s policy.`)),
    h('p', { class: 'muted' }, L(`Ban hành ${fmtTime(current.publishedAt)} bởi ${current.publishedBy}; có chữ ký số.`, `Published ${fmtTime(current.publishedAt)} by ${current.publishedBy}; digitally signed.`)),
    form,
    h('h2', {}, L('Các phiên bản', 'Versions')),
    table([
      [L('Phiên bản', 'Version'), (r) => String(r.version)],
      [L('Ban hành', 'Published'), (r) => fmtTime(r.publishedAt)],
      [L('Người ban hành', 'By'), (r) => r.publishedBy],
      [L('Xét nghiệm (giờ)', 'Test (hours)'), (r) => `RT-PCR ${r.policy.testValidityHours.RT_PCR} · ${L('nhanh', 'rapid')} ${r.policy.testValidityHours.RAPID_ANTIGEN}`],
    ], history));
}
