// Building DOM without innerHTML: every text goes in through text nodes, so data can never become markup.

/**
 * h('div', { class: 'x', dataset: { v: 'ALLOW' }, onclick: fn }, 'text', child, [more children])
 * Strings and numbers become text nodes; null/false children are skipped.
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** Replace the children of `node` (by id or element). */
export function fill(node, ...children) {
  const el = typeof node === 'string' ? document.getElementById(node) : node;
  el.replaceChildren();
  append(el, children);
  return el;
}

export function $(id) {
  return document.getElementById(id);
}
