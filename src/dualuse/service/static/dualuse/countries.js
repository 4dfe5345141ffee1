// Country pickers that take several countries ("Germany (DE), Japan (JP)"): the list offers the
// next country after the last comma, keeping what is typed before it. Without this script the
// field still takes names or codes separated by commas; the server resolves them.
(function () {
  "use strict";
  function enhance(input) {
    if (input.dataset.enhanced) return;
    var source = document.getElementById(input.getAttribute("list"));
    if (!source) return;
    input.dataset.enhanced = "true";
    var labels = Array.prototype.map.call(source.options, function (o) { return o.value; });
    var own = document.createElement("datalist");
    own.id = input.id + "-options";
    document.body.appendChild(own);
    input.setAttribute("list", own.id);
    function refresh() {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      var prefix = cut < 0 ? "" : value.slice(0, cut + 1).replace(/\s*$/, " ");
      var fragment = document.createDocumentFragment();
      labels.forEach(function (label) {
        var option = document.createElement("option");
        option.value = prefix + label;
        fragment.appendChild(option);
      });
      own.replaceChildren(fragment);
    }
    input.addEventListener("input", refresh);
    refresh();
  }
  function init(root) {
    (root || document).querySelectorAll("input.country-picker[data-multiple]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
