// Booth chats: clear the message box once the server has stored the message, send on
// Enter at a desk, keep the newest line in view, ping the recruiter (a short tone and a
// flash) when someone joins the queue, and count down to a timed chat's end (the page
// shows the end time; the server ends the chat). Without this script every form still
// works as a plain POST.
(function () {
  "use strict";
  document.addEventListener("htmx:after:request", function (event) {
    var form = event.target && event.target.closest && event.target.closest("form[data-reset-after]");
    var ctx = event.detail && event.detail.ctx;
    if (form && ctx && ctx.response && ctx.response.status < 400) {
      form.reset();
      var box = form.querySelector("textarea");
      if (box) {
        box.focus();
      }
    }
  });

  // Enter sends, Shift+Enter is a new line — where there is a keyboard and a mouse
  // (a fine pointer); on a touch screen Enter stays a new line, as phones' keyboards
  // expect. The hint under the box shows only where this applies.
  var enterSends = window.matchMedia && window.matchMedia("(pointer: fine)").matches;
  function showKeys() {
    if (enterSends) {
      document.querySelectorAll("[data-chat-keys][hidden]").forEach(function (hint) {
        hint.hidden = false;
      });
    }
  }
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!enterSends || event.key !== "Enter" || event.shiftKey || event.isComposing ||
        event.ctrlKey || event.altKey || event.metaKey || !box.matches ||
        !box.matches("form.chat-form textarea")) {
      return;
    }
    event.preventDefault();
    if (box.value.trim() !== "") {
      box.form.requestSubmit();
    }
  });

  function tone() {
    var Audio = window.AudioContext || window.webkitAudioContext;
    if (!Audio) {
      return;
    }
    try {
      var audio = new Audio();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.08;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.18);
    } catch (e) {
      // No sound allowed before a click: the flash still shows.
    }
  }

  function settle() {
    showKeys();
    document.querySelectorAll(".chat-log").forEach(function (log) {
      log.scrollTop = log.scrollHeight;
    });
    if (document.querySelector(".chat-queue[data-ping]")) {
      document.querySelectorAll(".chat-queue[data-ping]").forEach(function (box) {
        box.removeAttribute("data-ping");
      });
      tone();
    }
  }

  // Focus after a frame: when a frame removes the focused element (the waiting box
  // becomes the chat, the message form becomes "The chat has ended."), focus would
  // fall to the page itself and a keyboard or screen-reader user would lose their
  // place. Focus then goes to what the frame brought: the new chat's heading or the
  // ended notice ([data-chat-focus], tabindex -1), which a screen reader reads out.
  // Targets present when the page loads are only recorded, never focused.
  var seen = {};
  var lastFocus = null;
  document.addEventListener("focusin", function (event) {
    lastFocus = event.target;
  });
  function refocus() {
    var fresh = null;
    document.querySelectorAll("[data-chat-focus]").forEach(function (el) {
      var key = el.getAttribute("data-chat-focus");
      if (!seen[key]) {
        seen[key] = true;
        fresh = fresh || el;
      }
    });
    var active = document.activeElement;
    var lost = !active || active === document.body;
    var dropped = lastFocus && !lastFocus.isConnected;
    if (fresh && lost && (dropped || lastFocus === null)) {
      fresh.focus();
    }
  }
  document.querySelectorAll("[data-chat-focus]").forEach(function (el) {
    seen[el.getAttribute("data-chat-focus")] = true;
  });
  // The chat timer: minutes and seconds left until the end time the server rendered.
  function countdown() {
    document.querySelectorAll("[data-chat-ends]").forEach(function (line) {
      var ends = Date.parse(line.getAttribute("data-chat-ends"));
      var box = line.querySelector(".chat-countdown");
      var value = line.querySelector("[data-countdown]");
      if (isNaN(ends) || !box || !value) {
        return;
      }
      var left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
      var seconds = left % 60;
      value.textContent = Math.floor(left / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
      box.hidden = false;
    });
  }

  setInterval(countdown, 1000);
  countdown();

  document.addEventListener("htmx:after:swap", settle);
  document.addEventListener("htmx:ws:after:message", settle);
  // Only changes a frame brings count: the countdown rewrites its own text every
  // second, and scrolling the log down on that would pull back a reader scrolling up.
  new MutationObserver(function (records) {
    var framed = records.some(function (record) {
      var target = record.target;
      return !(target.closest && target.closest("[data-countdown]"));
    });
    if (framed) {
      refocus();
      settle();
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  settle();
})();
