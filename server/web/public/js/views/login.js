import { api, errorText } from '../api.js';
import { fill, h } from '../dom.js';
import { L } from '../i18n.js';

export function renderLogin(main, { onSignedIn }) {
  const error = h('div', { role: 'alert' });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, maxlength: 64 });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', {
    on: {
      submit: async (e) => {
        e.preventDefault();
        fill(error);
        try {
          onSignedIn(await api('POST', '/api/v1/auth/login', { json: { username: username.value.trim(), password: password.value } }));
        } catch (err) {
          fill(error, h('div', { class: 'error' }, errorText(err)));
        }
      },
    },
  },
  h('label', {}, L('Tên đăng nhập', 'Username'), username),
  h('label', {}, L('Mật khẩu', 'Password'), password),
  h('button', { type: 'submit' }, L('Đăng nhập', 'Sign in')),
  error);
  fill(main, h('div', { class: 'card login' },
    h('h1', {}, L('Đăng nhập hệ thống chốt kiểm soát', 'Sign in to the checkpoint control system')),
    form));
  username.focus();
}
