/* hpskb data tables: sort buttons in the column headers and a filter box. Without
   JavaScript the table is complete, in file order. No external requests. */
(function () {
  'use strict';
  document.querySelectorAll('table.data-table').forEach(function (table, n) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var status = document.createElement('p');
    status.className = 'data-status';
    status.setAttribute('role', 'status');
    var label = document.createElement('label');
    label.className = 'data-filter';
    label.textContent = 'Filter rows ';
    var input = document.createElement('input');
    input.type = 'search';
    input.id = 'data-filter-' + (n + 1);
    label.htmlFor = input.id;
    label.appendChild(input);
    var figure = table.closest('figure') || table;
    figure.parentNode.insertBefore(label, figure);
    figure.parentNode.insertBefore(status, figure);
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !match;
        if (match) shown++;
      });
      status.textContent = words.length ? shown + ' of ' + rows.length + ' rows shown' : '';
    });
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    function key(row, i, numeric) {
      var cell = row.cells[i];
      if (!cell || cell.classList.contains('empty')) return null;
      var v = cell.querySelector('[data-value]') || cell;
      v = v.getAttribute('data-value') || cell.textContent.trim();
      return numeric ? parseFloat(v) : v.toLowerCase();
    }
    Array.prototype.forEach.call(heads, function (th, i) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var up = th.getAttribute('aria-sort') !== 'ascending';
        var numeric = th.classList.contains('num') || !!body.querySelector('tr > :nth-child(' + (i + 1) + ') [data-value]');
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        rows.slice().sort(function (a, b) {
          var x = key(a, i, numeric), y = key(b, i, numeric);
          if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
          var c = numeric ? x - y : x.localeCompare(y);
          return up ? c : -c;
        }).forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
