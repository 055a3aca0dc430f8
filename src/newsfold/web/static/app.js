// newsfold: small progressive enhancements; every page works without this file.
"use strict";

// A summary citation lights up its supporting sentence (hover or click).
function evidenceOf(link) {
  return document.getElementById(link.dataset.target);
}

function light(link, on) {
  const ev = evidenceOf(link);
  if (!ev) return;
  if (on) {
    const box = ev.closest("details");
    if (box) box.open = true;
  }
  ev.classList.toggle("hl", on);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const link of document.querySelectorAll("a.cite")) {
    link.addEventListener("mouseenter", () => light(link, true));
    link.addEventListener("mouseleave", () => light(link, link.dataset.pinned === "1"));
    link.addEventListener("click", (event) => {
      event.preventDefault();
      for (const other of document.querySelectorAll("a.cite[data-pinned='1']")) {
        other.dataset.pinned = "0";
        light(other, false);
      }
      link.dataset.pinned = "1";
      light(link, true);
      const ev = evidenceOf(link);
      if (ev) ev.scrollIntoView({ block: "nearest" });
    });
  }

  // The job page follows its analysis without reloading.
  const job = document.getElementById("job");
  if (job && (job.dataset.state === "queued" || job.dataset.state === "running")) {
    const poll = async () => {
      const response = await fetch(`/api/jobs/${encodeURIComponent(job.dataset.job)}`);
      if (!response.ok) return;
      const data = await response.json();
      document.getElementById("job-state").textContent = data.state;
      const stage = data.stage ? `· ${data.stage}${data.step ? ` (${data.step})` : ""} ${data.done}/${data.total}` : "";
      document.getElementById("job-stage").textContent = stage;
      const bar = document.getElementById("job-progress");
      bar.max = data.total || 1;
      bar.value = data.done;
      if (data.state === "done" || data.state === "failed") {
        window.location.reload();
      } else {
        setTimeout(poll, 700);
      }
    };
    setTimeout(poll, 500);
  }
});
