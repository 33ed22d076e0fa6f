"""Step 1: which product the address is on, and the Control Panel steps for it, ticked as done."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.products import PRODUCT_IDS, PRODUCTS, get_product, mxplan_hint, suggest_product
from tui.core.sanitise import terminal_safe
from tui.screens.base import StepScreen
from tui.widgets.checklist import Checklist


class ProductList(OptionList):
    """The products: enter (or a click) confirms the highlighted one at once.

    OptionList says "selected" with a message handled after the keys already
    queued: an "n" typed right behind enter found the product unconfirmed.
    """

    def action_select(self) -> None:
        self.screen.action_confirm()


class ProductScreen(StepScreen):
    """Choose Exchange, Email Pro, MX Plan (new) or MX Plan (legacy), then tick the guide's steps."""

    STEP = "product"
    FIRST_STYLES_ENOUGH = True
    HELP = ("Step 1. Pick the product your blocked address is on, and press enter to confirm it. "
            "Then follow the Control Panel steps shown for it and tick each one with space when done. "
            "Not sure which MX Plan you have? The hint under the list explains how to tell.")
    BINDINGS = [
        Binding("enter", "confirm", "Confirm product", id="product.confirm",
                tooltip="Use the highlighted product for this case"),
        Binding("tab", "app.focus_next", "Steps", show=False, id="product.focus"),
        Binding("n", "next", "Next step", id="product.next", tooltip="Go on to the next step"),
    ]

    def compose_body(self) -> ComposeResult:
        # Everything the first frame shows is composed here, not set after mounting: each update
        # after mount would lay the screen out once more before it is first drawn.
        self.suggested, self.reason = suggest_product(self.case.service, self.case.address,
                                                      bool(self.case.ticket_text))
        current = self.case.product or self.suggested
        self._shown = next((p.id for p in PRODUCTS if p.id == current), PRODUCTS[0].id)
        why, status, steps, title = self._parts(self._shown)
        with Horizontal(id="product-top"):
            options = ProductList(*(Option(self._label(product), id=product.id) for product in PRODUCTS),
                                  id="product-list")
            options.border_title = "Which product is the address on?"
            yield options
            yield Static(why, id="product-why", classes="hint")
        yield Static(status, id="product-status", classes="panel-text")
        checklist = Checklist(steps, id="product-steps")
        checklist.border_title = title
        yield checklist

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one("#product-list", OptionList)
        options.highlighted = PRODUCT_IDS.index(self._shown)
        options.focus()

    def _label(self, product) -> Text:
        text = Text(product.label)
        if product.id == self.case.product and self.case.product_confirmed:
            text.append("  ✓ confirmed", style="bold")
        elif product.id == self.suggested:
            text.append("  (suggested)", style="italic")
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The list highlights its first option as it mounts, before on_mount moves the highlight
        # to the case's product: that stale message must not show (and mount) the wrong steps.
        if (event.option_list.id == "product-list" and event.option.id
                and event.option_index == event.option_list.highlighted):
            self._show(event.option.id)

    def _show(self, product_id: str) -> None:
        if product_id == self._shown:
            return
        self._shown = product_id
        why, status, steps, title = self._parts(product_id)
        self.query_one("#product-why", Static).update(why)
        self.query_one("#product-status", Static).update(status)
        checklist = self.query_one("#product-steps", Checklist)
        checklist.set_items(steps)
        checklist.border_title = title

    def _parts(self, product_id: str) -> tuple[Text, Text, list[tuple[str, str, bool]], str]:
        """What the step shows for ``product_id``: why this product, its Control Panel status, its steps, their title."""
        product = get_product(product_id)
        why = Text()
        account = self.case.ovh_account
        if account and account.get("product") in PRODUCT_IDS:
            # Known, not guessed: the API listed the address under this product.
            why.append(f"{get_product(account['product']).label}, from your OVHcloud account. ", style="bold")
            why.append(terminal_safe(f"The API lists {account.get('email')} among the accounts of the service "
                                     f"{account.get('service')}."))
        else:
            if self.suggested:
                why.append(f"Suggested: {get_product(self.suggested).label}. ", style="bold")
            why.append(self.reason)
        hint = mxplan_hint(product_id)
        if hint and "Server model" not in self.reason:
            why.append("\n\nWhich MX Plan? " + hint, style="dim")
        status = Text()
        status.append(f"In the Control Panel, {product.label} shows ", style="")
        status.append(f"\"{product.status_blocked}\"", style="bold")
        status.append(f", then you use \"{product.action}\".")
        for note in product.notes:
            status.append(f"\n{note}", style="bold" if not product.has_ticket else "")
        steps = [(step.text, step.id, step.id in self.case.steps_done) for step in product.steps]
        return why, status, steps, f"Steps for {product.label} (space ticks)"

    def on_checklist_toggled(self, event: Checklist.Toggled) -> None:
        self.case.toggle_step(event.value)

    def action_confirm(self) -> None:
        options = self.query_one("#product-list", OptionList)
        if options.highlighted is None:
            return
        product = PRODUCTS[options.highlighted]
        self.case.set_product(product.id)
        self.case.confirm_product()
        self.notify(f"Product: {product.label}.")
        self.query_one("#product-steps", Checklist).focus_first()

    def show_case(self, what: str) -> None:
        if what == "product":
            options = self.query_one("#product-list", OptionList)
            for i, item in enumerate(PRODUCTS):
                options.replace_option_prompt_at_index(i, self._label(item))
