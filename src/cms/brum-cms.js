// brum's rules for the editor that Decap's field settings cannot express.
// A picture needs its alt text, as `brum build` requires: the save is
// refused with a message saying which field to fill.
(function () {
  "use strict";
  var pairs = [["image", "image_alt"], ["logo", "logo_alt"]];
  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var data = event.entry.get("data");
      pairs.forEach(function (pair) {
        var picture = data.get(pair[0]);
        var alt = data.get(pair[1]);
        if (picture && !(alt && String(alt).trim())) {
          throw new Error(
            "The picture needs its alt text: fill in \"What the picture shows\" for people who cannot see it."
          );
        }
      });
    },
  });
})();
