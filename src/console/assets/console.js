// Web console: draws every <canvas data-chart="..."> with Chart.js (served by the console itself).
/* global Chart */
(function () {
  var palette = ['#b3261e', '#d0d7de', '#1a7f37', '#9a6700', '#0969da']
  function draw(canvas) {
    var spec = JSON.parse(canvas.getAttribute('data-chart'))
    var datasets = spec.series.map(function (s, i) {
      return {
        type: s.type || spec.type || 'bar', label: s.label, data: s.data, yAxisID: s.axis || 'y',
        backgroundColor: s.color || palette[i % palette.length], borderColor: s.color || palette[i % palette.length],
      }
    })
    var scales = { y: { beginAtZero: true, ticks: { precision: 0 } } }
    if (spec.series.some(function (s) { return s.axis === 'pct' })) {
      scales.pct = { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return v + '%' } } }
    }
    var chart = new Chart(canvas, {
      type: spec.type || 'bar',
      data: { labels: spec.labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: scales, plugins: { legend: { position: 'bottom' } } },
    })
    canvas.setAttribute('data-drawn', String(chart.data.labels.length))
  }
  function drawAll() { document.querySelectorAll('canvas[data-chart]').forEach(draw) }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', drawAll)
  else drawAll()
  // confirm destructive buttons (delete, remind) without inline handlers, which the CSP forbids
  document.addEventListener('submit', function (e) {
    var msg = e.target.getAttribute('data-confirm')
    if (msg && !window.confirm(msg)) e.preventDefault()
  })
})()
