"""Question 2, "Do you have a redirection rule to another email address?", with what the API shows.

What the OVHcloud API schema has (see ``accounts`` for the sources):

- MX Plan: GET /email/domain/{domain}/redirection?from=... -> ids, and
  /email/domain/{domain}/redirection/{id} -> email.domain.RedirectionGlobal (``id``,
  ``from``, ``to``). The /email/mxplan schema (new version) has no redirection
  route of its own, so the domain's redirections are read for both versions; a
  domain that is not an /email/domain service answers 404, said as such.
- Exchange: the issue names the account's ``forwardingEmail``; the 1.0 schema we
  checked has no such field on email.exchange.Account, so it is read when the
  account carries it and otherwise said to be absent.
- Email Pro: the schema has no forwarding field or route.

Whatever the API shows, inbox rules made in a mail program or in the webmail are
not part of it: ``RedirectionCheck.not_visible`` says so and how to look.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.ovh.accounts import Account
from tui.ovh.client import Connection, route
from tui.ovh.errors import CONNECTION_KINDS, OvhError

NOT_VISIBLE = ("Rules made in a mail program (Outlook, Thunderbird, a phone's mail app) or in the webmail are not "
               "visible to the OVHcloud API, and a rule that forwards or redirects mail counts as a redirection "
               "rule for question 2. To check them, open the webmail's settings and look at its inbox rules or "
               "filters for any that forward or redirect mail, then do the same in each mail program that uses "
               "this address.")


@dataclass(frozen=True)
class Redirection:
    """Mail to ``source`` is sent on to ``target``; ``kind`` says which setting does it."""

    source: str
    target: str
    kind: str
    id: str | None = None

    def sentence(self) -> str:
        return f"redirection from {self.source} to {self.target} ({self.kind})"


@dataclass(frozen=True)
class RedirectionCheck:
    """What the API showed for one address, what it could not look at, and both in words.

    ``checked`` lists the routes read; ``unavailable`` what could not be read
    and why (a 404 domain, a missing right); ``not_visible`` is always said.
    """

    email: str
    found: tuple[Redirection, ...]
    checked: tuple[str, ...]
    unavailable: tuple[str, ...]
    not_visible: str = NOT_VISIBLE

    def summary(self) -> str:
        """One paragraph for the suggestion of question 2."""
        head = []
        if self.found:
            seen = "; ".join(redirection.sentence() for redirection in self.found)
            head = [f"The OVHcloud settings have a {seen}."]
        elif self.checked:
            head = [f"The OVHcloud settings the API shows have no redirection from {self.email}."]
        return " ".join([*head, *self.unavailable, self.not_visible])

    def to_json(self) -> dict:
        return {"email": self.email,
                "found": [{"from": r.source, "to": r.target, "kind": r.kind, "id": r.id} for r in self.found],
                "checked": list(self.checked), "unavailable": list(self.unavailable),
                "not_visible": self.not_visible, "summary": self.summary()}


def _domain_redirections(connection: Connection, email: str) -> tuple[list[Redirection], str]:
    domain = email.rpartition("@")[2]
    listing = route("/email/domain/{}/redirection", domain)
    ids = connection.get(listing, f"MX Plan domain {domain}", **{"from": email}) or []
    found = []
    for redirection_id in ids:
        item = connection.get(route("/email/domain/{}/redirection/{}", domain, redirection_id),
                              f"redirection {redirection_id} of {domain}") or {}
        source = str(item.get("from") or "")
        # The from filter is a "like" match in the schema: keep only this very address.
        if source.lower() == email.lower():
            found.append(Redirection(source, str(item.get("to") or ""), "MX Plan redirection", str(redirection_id)))
    return found, listing


def find_redirections(connection: Connection, account: Account) -> RedirectionCheck:
    """Every redirection or forwarding the API shows for ``account``'s address."""
    found: list[Redirection] = []
    checked: list[str] = []
    unavailable: list[str] = []
    try:
        if account.product in ("mxplan_legacy", "mxplan_new"):
            redirections, listing = _domain_redirections(connection, account.email)
            found.extend(redirections)
            checked.append(listing)
        elif account.product == "exchange":
            payload = connection.get(account.path(), f"account {account.email}") or {}
            if "forwardingEmail" in payload:
                checked.append(account.path())
                if payload["forwardingEmail"]:
                    found.append(Redirection(account.email, str(payload["forwardingEmail"]), "Exchange forwarding"))
            else:
                unavailable.append("The API shows no forwarding setting for this Exchange account.")
        else:
            unavailable.append("The OVHcloud API has no forwarding setting for Email Pro accounts.")
    except OvhError as error:
        if error.kind in CONNECTION_KINDS:
            raise
        if error.kind == "not-found" and account.product == "mxplan_new":
            unavailable.append("This domain has no MX Plan redirection settings in the API.")
        else:
            unavailable.append(error.message)
    return RedirectionCheck(account.email, tuple(found), tuple(checked), tuple(unavailable))
