"""Review: the proposals waiting for a second reader, oldest first, each with the change it would make;
approve (publish), reject with a reason, withdraw your own, or preview it on the Timeline; and, for reviewers,
publish a public edition of the approved data."""

from crisisboard.app import publishing, reviewing
from crisisboard.app.roles import roles_panel
from crisisboard.app.auth import allowed, current_actor
from crisisboard.app.frame import end_page, start_page
from crisisboard.data.backends import open_store

page = start_page("Review: proposals waiting for a second reader")
store = open_store(page.dataset.data_dir)
actor = current_actor(store)
if allowed(actor, "propose", "analyst, reviewer or admin"):
    publishing.publish_panel(store, actor)
    reviewing.queue(store, actor, page.dataset.source_languages)
    reviewing.two_person_switch(store, actor)
    roles_panel(store, actor)
end_page(page)
