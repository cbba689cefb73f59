"""The `lokflow` command: one Typer app; each module registers its commands."""

from __future__ import annotations

import typer

from lokflow.cli import (
    agreement_commands,
    annual_report_commands,
    coordinator_commands,
    engine_commands,
    feed_commands,
    plan_commands,
    reply_commands,
    report_commands,
    run_command,
    serve_command,
    transfer_commands,
)
from lokflow.cli.context import CliState, fail
from lokflow.settings import Settings, SettingsError

app = typer.Typer(
    name="lokflow",
    help="lokflow: action plans of a local agreement (LÖK) as running workflows.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(ctx: typer.Context) -> None:
    try:
        ctx.obj = CliState(settings=Settings())
    except SettingsError as error:
        raise fail(str(error)) from None


for command in (plan_commands.validate, plan_commands.sync, plan_commands.plans,
                plan_commands.activities, plan_commands.show, run_command.run,
                serve_command.serve):
    app.command()(command)

app.command()(transfer_commands.export)
app.command("import")(transfer_commands.import_plan)

for module in (engine_commands, report_commands, feed_commands, annual_report_commands,
               reply_commands, coordinator_commands, agreement_commands):
    module.register(app)


def main() -> None:
    app()
