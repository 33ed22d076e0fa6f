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
from tui.widgets.checklist import CheckItem, Checklist


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
        with Horizontal(id="product-top"):
            yield OptionList(id="product-list")
            yield Static(id="product-why", classes="hint")
        yield Static(id="product-status", classes="panel-text")
        yield Checklist(id="product-steps")

    def on_mount(self) -> None:
        super().on_mount()
        self.suggested, self.reason = suggest_product(self.case.service, self.case.address,
                                                      bool(self.case.ticket_text))
        options = self.query_one("#product-list", OptionList)
        options.border_title = "Which product is the address on?"
        options.add_options([Option(self._label(product), id=product.id) for product in PRODUCTS])
        current = self.case.product or self.suggested
        index = next((i for i, p in enumerate(PRODUCTS) if p.id == current), 0)
        options.highlighted = index
        options.focus()
        self._show(PRODUCTS[index].id)

    def _label(self, product) -> Text:
        text = Text(product.label)
        if product.id == self.case.product and self.case.product_confirmed:
            text.append("  ✓ confirmed", style="bold")
        elif product.id == self.suggested:
            text.append("  (suggested)", style="italic")
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._show(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_confirm()

    def _show(self, product_id: str) -> None:
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
        self.query_one("#product-why", Static).update(why)
        status = Text()
        status.append(f"In the Control Panel, {product.label} shows ", style="")
        status.append(f"\"{product.status_blocked}\"", style="bold")
        status.append(f", then you use \"{product.action}\".")
        for note in product.notes:
            status.append(f"\n{note}", style="bold" if not product.has_ticket else "")
        self.query_one("#product-status", Static).update(status)
        steps = self.query_one("#product-steps", Checklist)
        steps.set_items([(step.text, step.id, step.id in self.case.steps_done) for step in product.steps])
        steps.border_title = f"Steps for {product.label} (space ticks)"

    def on_check_item_toggled(self, event: CheckItem.Toggled) -> None:
        self.case.toggle_step(event.item.value)

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
