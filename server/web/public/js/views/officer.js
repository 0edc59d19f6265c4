import { fill, h } from '../dom.js';
import { L } from '../i18n.js';

/** Officers work at the station's own screen; the central web app has nothing for them. */
export default [{
  path: 'officer',
  roles: ['officer'],
  nav: true,
  title: () => L('Cán bộ chốt', 'Checkpoint officer'),
  render(main) {
    fill(main, h('div', { class: 'card' },
      h('h1', {}, L('Cán bộ chốt kiểm soát', 'Checkpoint officer')),
      h('p', {}, L('Việc quét mã, xem kết quả và xử lý thủ công được thực hiện trên màn hình của trạm tại chốt.',
        'Scanning, verdicts and manual overrides are done on the station screen at the checkpoint.'))));
  },
}];
