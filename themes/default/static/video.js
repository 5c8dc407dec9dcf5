// The video component's player, loaded only when a visitor asks for it. Until
// then a video from YouTube or Vimeo is a poster and a plain link to the video
// on its host (all there is without JavaScript), so the page makes no request
// to the host and it sets no cookie before the visitor chooses to play.
document.addEventListener("click", (event) => {
  // A click that opens a new tab or window keeps the link's own behaviour.
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest(".brum-video__play") : null;
  const frame = link ? link.closest("[data-brum-video]") : null;
  if (!frame) return;
  event.preventDefault();
  const player = document.createElement("iframe");
  const src = new URL(frame.dataset.brumVideo);
  src.searchParams.set("autoplay", "1");
  player.src = src.href;
  player.title = frame.dataset.brumTitle;
  player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  player.allowFullscreen = true;
  player.className = "brum-video__player";
  frame.replaceChildren(player);
  player.focus();
});
