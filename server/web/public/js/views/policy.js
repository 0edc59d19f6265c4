// The decision policy: read the current version, change its rules, publish a new signed version.
import { api, errorText, reasonLabel } from '../api.js';
import { field, fill, formValues, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';

const levels = (text) => [...new Set(text.split(/[,;\s]+/).filter(Boolean).map(Number))].sort();

export async function renderPolicy(main) {
  const [current, history] = await Promise.all([api('GET', '/api/v1/policy'), api('GET', '/api/v1/policy/history?limit=20')]);
  const p = current.policy;
  const out = h('div');
  const num = (name, value, min, max, step = 1) => h('input', { name, type: 'number', min, max, step, required: true, value });
  const bool = (name, value) => h('select', { name }, h('option', { value: 'true', selected: value }, L('Có', 'Yes')), h('option', { value: 'false', selected: !value }, L('Không', 'No')));
  const form = h('form', { class: 'card' },
    h('h2', {}, L('Quy tắc (sửa rồi ban hành phiên bản mới)', 'Rules (edit, then publish a new version)')),
    h('div', { class: 'grid' },
      field(L('Hiệu lực xét nghiệm RT-PCR (giờ)', 'RT-PCR test validity (hours)'), num('rtPcr', p.testValidityHours.RT_PCR, 1, 720)),
      field(L('Hiệu lực test nhanh (giờ)', 'Rapid antigen validity (hours)'), num('rapid', p.testValidityHours.RAPID_ANTIGEN, 1, 720)),
      field(L('Tuổi tối đa của khai báo y tế (giờ)', 'Maximum declaration age (hours)'), num('maxDeclarationAgeHours', p.maxDeclarationAgeHours, 1, 2160)),
      field(L('Tổ lái bắt buộc xét nghiệm', 'Crew must have a test'), bool('testRequiredForCrew', p.testRequiredForCrew)),
      field(L('Cấp vùng phải xét nghiệm (vd. 3,4)', 'Zone levels needing a test (e.g. 3,4)'), h('input', { name: 'testRequiredZoneLevels', pattern: '[1-4,; ]*', 'data-hint': 'levels', value: p.testRequiredZoneLevels.join(',') })),
      field(L('Cấp vùng bị chặn (không có giấy phép)', 'Zone levels blocked (without a pass)'), h('input', { name: 'blockedZoneLevels', pattern: '[1-4,; ]*', 'data-hint': 'levels', value: p.blockedZoneLevels.join(',') })),
      field(L('Tiêm chủng thay xét nghiệm', 'Vaccination replaces a test'), bool('vaccinationReplacesTest', p.vaccinationReplacesTest)),
      field(L('Số mũi tối thiểu', 'Minimum doses'), num('minDosesToReplaceTest', p.minDosesToReplaceTest, 1, 10)),
      field(L('Chống quẹt lặp', 'Anti-passback'), h('select', { name: 'antiPassback' }, ['off', 'soft', 'hard'].map((m) => h('option', { value: m, selected: p.antiPassback === m }, m)))),
      field(L('Bộ nhớ đệm cũ tối đa (giờ)', 'Maximum cache age (hours)'), num('maxCacheStaleHours', p.maxCacheStaleHours, 0.01, 720, 0.01)),
      field(L('Cửa sổ qua chốt (giây)', 'Crossing window (seconds)'), num('crossingWindowSeconds', p.crossingWindowSeconds, 5, 3600))),
    p.severity && Object.keys(p.severity).length ? h('p', { class: 'muted' }, L('Mức độ riêng theo lý do (giữ nguyên): ', 'Per-reason severities (kept): '),
      Object.entries(p.severity).map(([k, v]) => `${reasonLabel(k)} → ${v}`).join('; ')) : null,
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
      const r = await api('POST', '/api/v1/policy', { json: rules });
      await renderPolicy(main);
      main.querySelector('h1')?.after(h('div', { class: 'notice', 'data-testid': 'published' },
        L(`Đã ban hành phiên bản ${r.version}; các trạm nhận qua đồng bộ.`, `Version ${r.version} published; stations receive it when they sync.`)));
    } catch (err) {
      fill(out, h('div', { class: 'error' }, errorText(err)));
    }
  });
  fill(main,
    h('h1', {}, L(`Chính sách kiểm soát · phiên bản ${current.version}`, `Control policy · version ${current.version}`)),
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
