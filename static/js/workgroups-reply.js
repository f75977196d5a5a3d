// "Reply" under a post: remember which post is answered and move to the form, without a reload.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-workgroups-reply]");
  if (!link) return;
  const field = document.querySelector("input[name=reply_to]");
  const target = document.getElementById("reply-target");
  const heading = document.getElementById("reply");
  if (!field || !heading) return;
  event.preventDefault();
  field.value = link.dataset.workgroupsReply;
  if (target) target.textContent = `↪ ${link.dataset.workgroupsReplyName}`;
  heading.focus();
  const textarea = document.querySelector("textarea[name=body]");
  if (textarea) textarea.focus();
});
