/* 依申请公开办理进度查询.
 * Derives the status file name from the application number and query code
 * (PBKDF2-HMAC-SHA256 as plugins/applications/codes.py, via Web Crypto), fetches
 * it and shows it.  No inline script, no eval, no innerHTML: works under a
 * strict Content-Security-Policy.  Without Web Crypto (a plain-http address)
 * the form is left to submit to the query service, which renders the same
 * markup server-side (plugins/applications/public.py render_status; a test
 * compares the two).
 */
(function () {
  'use strict';

  var DASHES = /[\u2010-\u2015\u2212]/g;

  function normaliseNumber(text) {
    return text.normalize('NFKC').replace(DASHES, '-').toUpperCase().replace(/[^0-9A-Z-]/g, '');
  }

  function normaliseCode(text) {
    return text.normalize('NFKC').toUpperCase().replace(/[^0-9A-Z]/g, '');
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  /* The derived key (PBKDF2 bits) for what the requester typed. */
  function deriveKey(subtle, number, code, options) {
    var enc = new TextEncoder();
    return subtle.importKey('raw', enc.encode(normaliseCode(code)), 'PBKDF2', false, ['deriveBits'])
      .then(function (key) {
        return subtle.deriveBits({
          name: 'PBKDF2', hash: 'SHA-256', iterations: options.iterations,
          salt: enc.encode(options.salt + normaliseNumber(number))
        }, key, 256);
      });
  }

  /* SHA-256 of a text prefix followed by the derived key. */
  function prefixed(subtle, prefix, bits) {
    var p = new TextEncoder().encode(prefix);
    var data = new Uint8Array(p.length + bits.byteLength);
    data.set(p);
    data.set(new Uint8Array(bits), p.length);
    return subtle.digest('SHA-256', data);
  }

  /* The status file name (without .json) for what the requester typed. */
  function fileName(subtle, number, code, options) {
    return deriveKey(subtle, number, code, options)
      .then(function (bits) { return prefixed(subtle, options.filePrefix, bits); })
      .then(hex);
  }

  function fromBase64(text) {
    var raw = atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  /* Decrypt a published status (AES-256-GCM, key = SHA-256(encPrefix + derived key)); null if it fails. */
  function openStatus(subtle, bits, blob, options) {
    return prefixed(subtle, options.encPrefix, bits)
      .then(function (raw) { return subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']); })
      .then(function (key) {
        return subtle.decrypt({name: 'AES-GCM', iv: fromBase64(blob.iv)}, key, fromBase64(blob.data));
      })
      .then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); },
            function () { return null; });
  }

  /* The result block; h(tag, attrs, ...children) builds one element (null children are skipped). */
  function render(data, h) {
    function row(label, value) {
      return h('div', {'class': 'meta-row'}, h('dt', null, label), h('dd', null, value));
    }
    function list(tag, attrs, items) {
      return h.apply(null, [tag, attrs].concat(items.map(function (t) { return h('li', null, t); })));
    }
    var rows = [row('收到申请日期', data.received), row('办理状态', data.status)];
    if (data.reply_date) { rows.push(row('答复日期', data.reply_date)); }
    if (data.outcome) { rows.push(row('办理结果', data.outcome)); }
    if (data.extension) { rows.push(row('延长答复期限', data.extension.text)); }
    data.pauses.forEach(function (x) { rows.push(row('暂停计算', x.text)); });
    var parts = [
      h('h2', {id: 'tracker-status-h'}, '申请编号 ' + data.number),
      h.apply(null, ['dl', {'class': 'meta-box'}].concat(rows))
    ];
    if (data.notes.length) { parts.push(list('ul', {'class': 'tracker-notes'}, data.notes)); }
    parts.push(h('h3', null, '期限及计算方法'));
    data.deadlines.forEach(function (d) {
      parts.push(h('div', {'class': 'deadline'},
        h('h4', null, d.label + '：' + (d.date || '暂无法确定')),
        h('p', {'class': 'deadline-basis'}, '依据：' + d.basis),
        d.result ? h('p', {'class': 'deadline-result'}, d.result) : null,
        list('ol', {'class': 'deadline-steps'}, d.explanation)));
    });
    parts.push(h('p', {'class': 'tracker-as-of'}, '以上信息截至 ' + data.as_of + '。'));
    return h.apply(null, ['section', {'class': 'tracker-status', 'aria-labelledby': 'tracker-status-h'}].concat(parts));
  }

  function message(h, text) {
    return h('p', {'class': 'tracker-message', role: 'alert'}, text);
  }

  function domBuilder(doc) {
    return function (tag, attrs) {
      var el = doc.createElement(tag);
      Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
      for (var i = 2; i < arguments.length; i++) {
        var child = arguments[i];
        if (child === null || child === undefined) { continue; }
        el.appendChild(typeof child === 'string' ? doc.createTextNode(child) : child);
      }
      return el;
    };
  }

  function start(doc, win) {
    var form = doc.getElementById('tracker-form');
    var out = doc.getElementById('tracker-result');
    var subtle = win.crypto && win.crypto.subtle;
    if (!form || !out || !subtle || !win.fetch || !win.TextEncoder) {
      return;  /* the form submits to the query service instead */
    }
    var h = domBuilder(doc);
    var options = {
      iterations: parseInt(form.getAttribute('data-iterations'), 10),
      salt: form.getAttribute('data-salt'),
      filePrefix: form.getAttribute('data-file-prefix'),
      encPrefix: form.getAttribute('data-enc-prefix')
    };
    function show(node) {
      while (out.firstChild) { out.removeChild(out.firstChild); }
      out.appendChild(node);
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var number = form.elements.number.value;
      var code = form.elements.code.value;
      if (!normaliseNumber(number) || !normaliseCode(code)) {
        show(message(h, form.getAttribute('data-missing')));
        return;
      }
      show(h('p', {'class': 'tracker-message', role: 'status'}, '正在查询……'));
      var bits = null;
      deriveKey(subtle, number, code, options)
        .then(function (derived) {
          bits = derived;
          return prefixed(subtle, options.filePrefix, derived);
        })
        .then(function (digest) {
          return win.fetch(form.getAttribute('data-status-url') + hex(digest) + '.json',
                           {cache: 'no-store', credentials: 'omit'});
        })
        .then(function (response) {
          if (!response.ok) { return null; }
          return response.json().then(function (blob) { return openStatus(subtle, bits, blob, options); });
        })
        .then(function (data) {
          show(data ? render(data, h) : message(h, form.getAttribute('data-not-found')));
        }, function () {
          show(message(h, '查询时网络出错，请稍后重试。'));
        });
    });
  }

  var api = {normaliseNumber: normaliseNumber, normaliseCode: normaliseCode, fileName: fileName,
             deriveKey: deriveKey, openStatus: openStatus,
             render: render, message: message};
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    start(document, window);
  }
}());
