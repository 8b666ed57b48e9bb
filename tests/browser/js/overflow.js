// Horizontal overflow of the page, with the elements that stick out (either
// side: an RTL page overflows to the left) or whose content spills out of
// them (a long unbreakable line in a box of the right width).
() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const offenders = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + [...el.classList].join(".") : "");
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const spills = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible";
    if (spills && el.clientWidth > 0 && el.scrollWidth > width) {
      offenders.push(`${describe(el)} content ${el.scrollWidth}px wide in ${el.clientWidth}px`);
      continue;
    }
    if (rect.right > width + 1 || rect.left < -1) {
      const parent = el.parentElement;
      const parentRect = parent ? parent.getBoundingClientRect() : null;
      // Report the outermost element that sticks out, not all its children.
      if (parentRect && (parentRect.right > width + 1 || parentRect.left < -1)) continue;
      offenders.push(`${describe(el)} [${Math.round(rect.left)}, ${Math.round(rect.right)}]`);
    }
  }
  return { scrollWidth: doc.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 10) };
}
