// The app's own form checks, in the chosen language: every form is `novalidate` (dom.js), so the
// browser never shows its English bubbles; on submit each field is checked from its own attributes
// (required, pattern + data-hint, min/max, maxlength, data-kind="datetime") and the message is
// written under the field. A form with an invalid field does not reach its submit handler.
import { L } from './i18n.js';
import { fromVnInput } from './vn-time.js';

/** What a field needs, in words, by the pattern's purpose (data-hint on the input). */
export const HINTS = {
  plate: ['Biển số viết như 51C-123.45 hoặc 29LD-012.34', 'Write the plate like 51C-123.45 or 29LD-012.34'],
  citizenId: ['Số CCCD gồm 12 chữ số (hoặc CMND 9 chữ số)', 'A citizen ID has 12 digits (or 9 for an old ID card)'],
  phone: ['Số điện thoại chỉ gồm chữ số, 6 đến 20 ký tự', 'A phone number has digits only, 6 to 20 characters'],
  zone: ['Mã vùng là mã tỉnh 2 chữ số, có thể kèm mã huyện: 79 hoặc 79-760', 'A zone is a 2-digit province code, optionally with a district: 79 or 79-760'],
  levels: ['Các cấp độ từ 1 đến 4, cách nhau bởi dấu phẩy', 'Levels 1 to 4, separated by commas'],
  username: ['Tên đăng nhập chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới', 'A username has letters, digits, dot, dash or underscore only'],
  code: ['Chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới', 'Letters, digits, dot, dash or underscore only'],
  list: ['Các số cách nhau bởi dấu phẩy', 'Numbers separated by commas'],
  district: ['Mã quận/huyện gồm 3 chữ số, ví dụ 760 (Quận 1)', 'A district code has 3 digits, e.g. 760 (District 1)'],
  commune: ['Mã xã/phường gồm 5 chữ số, ví dụ 26734', 'A commune code has 5 digits, e.g. 26734'],
};

const hint = (el) => (HINTS[el.dataset.hint] ? L(...HINTS[el.dataset.hint]) : L('Không đúng định dạng', 'Not in the expected format'));

/** Attributes of a date-time text box read as Vietnam time (dd/mm/yyyy HH:mm), whatever the browser's zone. */
export const DATETIME = Object.freeze({ type: 'text', 'data-kind': 'datetime', placeholder: 'dd/mm/yyyy HH:mm', autocomplete: 'off', maxlength: 16 });

/** The message for one field, or '' when it is fine. */
export function fieldMessage(el) {
  if (el.disabled || !('validity' in el)) return '';
  const v = el.validity;
  const value = String(el.value ?? '').trim();
  if (v.valueMissing || (el.required && value === '')) return L('Vui lòng nhập mục này', 'Please fill in this field');
  if (value === '') return '';
  if (el.dataset.kind === 'datetime' && Number.isNaN(fromVnInput(value))) {
    return L('Ngày giờ không hợp lệ, hãy viết dd/mm/yyyy HH:mm (giờ Việt Nam)', 'Not a valid date, write dd/mm/yyyy HH:mm (Vietnam time)');
  }
  if (v.badInput || (el.type === 'number' && !Number.isFinite(Number(value)))) return L('Phải là một số', 'Must be a number');
  if (v.patternMismatch) return hint(el);
  if (v.typeMismatch) return L('Không đúng định dạng', 'Not in the expected format');
  if (v.rangeUnderflow) return L(`Không được nhỏ hơn ${el.min}`, `Must be at least ${el.min}`);
  if (v.rangeOverflow) return L(`Không được lớn hơn ${el.max}`, `Must be at most ${el.max}`);
  if (v.stepMismatch) return L('Phải là số nguyên', 'Must be a whole number');
  if (v.tooShort || (el.minLength > 0 && value.length < el.minLength)) return L(`Cần ít nhất ${el.minLength} ký tự`, `At least ${el.minLength} characters`);
  if (v.tooLong || (el.maxLength > 0 && value.length > el.maxLength)) return L(`Không quá ${el.maxLength} ký tự`, `At most ${el.maxLength} characters`);
  return '';
}

/** The field's message box, made on first use right after its control. */
function slot(el) {
  const id = el.dataset.errorFor ?? `fe-${Math.random().toString(36).slice(2)}`;
  el.dataset.errorFor = id;
  let box = document.getElementById(id);
  if (!box) {
    box = document.createElement('span');
    box.id = id;
    box.className = 'field-error';
    box.setAttribute('role', 'alert');
    el.insertAdjacentElement('afterend', box);
    el.setAttribute('aria-describedby', id);
  }
  return box;
}

export function setFieldError(el, message) {
  if (!message) {
    el.removeAttribute('aria-invalid');
    const box = el.dataset.errorFor && document.getElementById(el.dataset.errorFor);
    if (box) box.textContent = '';
    return;
  }
  el.setAttribute('aria-invalid', 'true');
  slot(el).textContent = message;
}

/** Check every field; write the messages; focus the first bad one. True when all are fine. */
export function checkForm(form) {
  let first = null;
  for (const el of form.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || el.type === 'file' || el.type === 'checkbox') continue;
    const message = fieldMessage(el);
    setFieldError(el, message);
    if (message && !first) first = el;
  }
  first?.focus();
  return first === null;
}

/** dom.js calls this for every form it makes, before any other submit listener. */
export function guardForm(form) {
  form.noValidate = true;
  form.addEventListener('submit', (e) => {
    if (!checkForm(form)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  });
  // a corrected field loses its message as soon as it is right
  form.addEventListener('input', (e) => {
    const el = e.target;
    if (el?.getAttribute?.('aria-invalid') === 'true' && !fieldMessage(el)) setFieldError(el, '');
  });
}

/**
 * The server's field errors (the answer's `fields`: [{ field, messageVi, message }]) written under
 * the inputs of the same name; true when at least one found its field.
 */
export function showServerFieldErrors(form, err) {
  const fields = Array.isArray(err?.body?.fields) ? err.body.fields : [];
  let shown = false;
  for (const f of fields) {
    const name = String(f.field ?? '').split('/').filter(Boolean).pop();
    const el = name && form.querySelector(`[name="${CSS.escape(name)}"], [data-k="${CSS.escape(name)}"]`);
    if (el) {
      setFieldError(el, L(f.messageVi ?? f.message, f.message));
      shown = true;
    }
  }
  return shown;
}
