// The dashboard's weekly charts, drawn with uPlot (served by this server) from each chart's data-chart
// attribute. Progressive enhancement only: the same weeks are in the table below the charts, and the
// charts are hidden from screen readers, which read the table.
(function () {
  'use strict';
  if (typeof window.uPlot !== 'function') {
    return;
  }
  var COLOURS = ['#0b4f8a', '#c05600', '#1d6b35'];
  var HEIGHT = 240;
  var charts = [];

  function options(spec, width) {
    var weeks = spec.weeks;
    var scales = { x: { time: false, range: function (u, min, max) { return [min - 0.6, max + 0.6]; } } };
    var axes = [{
      space: 28,
      incrs: [1, 2, 4],
      // "2026-W09" → "W09": the year is in the table and the figure's caption.
      values: function (u, splits) {
        return splits.map(function (i) { return weeks[i] ? weeks[i].slice(5) : ''; });
      }
    }];
    var used = {};
    var bars = spec.series.filter(function (s) { return s.kind === 'bars'; }).length;
    var barIndex = 0;
    var series = [{ label: spec.x, value: function (u, v) { return v == null ? '--' : (weeks[v] || ''); } }];
    spec.series.forEach(function (s, i) {
      if (!used[s.axis]) {
        used[s.axis] = true;
        scales[s.axis] = s.axis === 'percent' ? { range: [0, 100] } : { range: function (u, min, max) { return [0, Math.max(1, max) * 1.1]; } };
        axes.push({
          scale: s.axis,
          side: axes.length === 1 ? 3 : 1,
          grid: { show: axes.length === 1 },
          label: spec.axes[s.axis],
          size: 50,
          values: function (u, splits) {
            return splits.map(function (v) { return Number.isInteger(v) ? String(v) + (s.axis === 'percent' ? '%' : '') : ''; });
          }
        });
      }
      var colour = COLOURS[i % COLOURS.length];
      var one = { label: s.name, scale: s.axis, stroke: colour, width: 2, spanGaps: false };
      if (s.kind === 'bars') {
        one.fill = colour;
        one.points = { show: false };
        one.paths = uPlot.paths.bars({ size: [bars > 1 ? 0.35 : 0.6, 40], align: bars > 1 ? (barIndex++ === 0 ? -1 : 1) : 0 });
      } else {
        one.points = { show: true, size: 5 };
      }
      series.push(one);
    });
    return { width: width, height: HEIGHT, scales: scales, axes: axes, series: series, legend: { show: true },
      cursor: { points: { show: false } } };
  }

  function data(spec) {
    var x = spec.weeks.map(function (w, i) { return i; });
    return [x].concat(spec.series.map(function (s) { return s.values; }));
  }

  function widthOf(el) {
    return Math.max(260, Math.floor(el.getBoundingClientRect().width));
  }

  var boxes = document.querySelectorAll('.chart[data-chart]');
  Array.prototype.forEach.call(boxes, function (el) {
    var spec;
    try {
      spec = JSON.parse(el.getAttribute('data-chart'));
    } catch (e) {
      return;
    }
    charts.push({ el: el, plot: new uPlot(options(spec, widthOf(el)), data(spec), el) });
  });

  var pending = null;
  window.addEventListener('resize', function () {
    if (pending) {
      clearTimeout(pending);
    }
    pending = setTimeout(function () {
      charts.forEach(function (c) { c.plot.setSize({ width: widthOf(c.el), height: HEIGHT }); });
    }, 150);
  });
})();
