"""The scenario explorer: ipywidgets controls over a scenario, live tables and charts, Save and Render.

``notebooks/explore.ipynb`` calls :func:`start` with its namespace and shows
the :class:`Explorer`; ``make explore`` serves the same notebook as a Voilà
page. One control per numeric input of the scenario schema
(:mod:`.schema`); every change is checked by the schema
(:mod:`.state`) and, after a short quiet time (debounce), redraws
the headline table, the structure table and the charts
(:mod:`.tables`, :mod:`.charts`) from the last valid
inputs, the starting scenario beside them. Nothing raises into the notebook:
a refused value shows the schema's one-line message beside its control.
The page opens in the language of its address (``?lang=zh``) or of the
browser (:mod:`.language`); buttons at the top switch it. Every label comes
from the locale files and the registry: shipped scenarios by their titles,
inputs by their names, never a field's dotted path; a path the page must show
(where a scenario was saved) stands in ``<code>``.
"""
from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any, Mapping

import ipywidgets as w

from ...errors import InputError
from .charts import CHARTS, ExplorerCharts
from .controls import DEBOUNCE_S, ERROR_STYLE, Control, Debouncer, css_name, field_label
from .language import page_language
from .render import RenderJob, RenderProgress, file_url
from .state import ExplorerState, Views, compute_views, shipped_scenarios, shipped_titles
from .tables import headline_html, structure_frame, structure_html
from ..parameters import from_namespace, resolve_scenario_path
from ..words.messages import error_text, problem_text
from ..words.text import LANGUAGES, has_key, scenario_text, t

__all__ = ["DEBOUNCE_S", "Control", "Debouncer", "Explorer", "start", "css_name", "field_label"]


class Explorer:
    """The explorer's widgets and what they show.

    Parameters
    ----------
    scenario_path : str or Path
        The starting scenario (a file, or a shipped scenario's name).
    language : str
    n_paths : int
        Paths of the fan chart (0: no fan chart).
    output_dir : Path
        Saved scenarios go to ``<output_dir>/scenarios/``, rendered runs to ``<output_dir>/runs/``.
    debounce : float
        Quiet time before a redraw, seconds (0: redraw on every change).
    """

    def __init__(self, scenario_path: str | Path, language: str = "en", n_paths: int = 1000,
                 output_dir: str | Path = "outputs/explorer", debounce: float = DEBOUNCE_S):
        self.lang = language
        self.output_dir = Path(output_dir)
        self.regions: dict = {}
        self.state = ExplorerState.from_path(resolve_scenario_path(str(scenario_path)), self.regions)
        self.controls: dict[str, Control] = {}
        self.charts = ExplorerCharts()
        self.views: Views | None = None
        self.start_views: Views | None = None
        self.saved_path: Path | None = None
        self.render_job: RenderJob | None = None
        self.last_update_ms: float | None = None
        self._drawn: tuple | None = None
        self._debouncer = Debouncer(self.refresh, debounce)
        self._build(n_paths)
        self._load_controls()
        self.refresh()

    # ------------------------------------------------------------------ layout
    def _build(self, n_paths: int) -> None:
        self.title = w.HTML()
        self.intro = w.HTML()
        self.frame = w.HTML()
        self.status = w.HTML()
        self.status.add_class("xiqu-status")
        # each language by its own name (English, 中文): a reader finds the one he reads
        self.language = w.ToggleButtons(options=[(t("explorer.language_name", lang), lang) for lang in LANGUAGES],
                                        value=self.lang, style={"button_width": "80px"})
        self.language.add_class("xiqu-language")
        self.language.observe(lambda c: self.set_language(c["new"]), names="value")
        shipped = list(shipped_scenarios())
        start_name = self.state.start.source_path.stem if self.state.start.source_path else None
        self._relisting = False
        self.shipped = w.Dropdown(options=self._shipped_options(), value=start_name if start_name in shipped else None,
                                  layout=w.Layout(width="340px"))
        self.shipped.observe(lambda c: c["new"] and not self._relisting and self.load(shipped_scenarios()[c["new"]]),
                             names="value")
        self.path = w.Text(layout=w.Layout(width="260px"))
        self.load_button = w.Button(layout=w.Layout(width="80px"))
        self.load_button.on_click(lambda _: self.load(self.path.value))
        self.reset_button = w.Button(layout=w.Layout(width="160px"))
        self.reset_button.on_click(lambda _: self.reset())
        self.fan_on = w.Checkbox(value=n_paths > 0, indent=False, layout=w.Layout(width="120px"))
        self.fan_paths = w.BoundedIntText(value=max(int(n_paths), 100) if n_paths > 0 else 1000, min=100, max=20000,
                                          step=100, layout=w.Layout(width="100px"))
        for widget in (self.fan_on, self.fan_paths):
            widget.observe(lambda _: self._debouncer.trigger(), names="value")
        self.controls_box = w.VBox(layout=w.Layout(width="560px", min_width="560px"))
        self.controls_box.add_class("xiqu-controls")
        self.headline = w.HTML()
        self.headline.add_class("xiqu-headline")
        self.structure = w.HTML()
        self.structure.add_class("xiqu-structure")
        wide = ("gaps", "fan")  # long labels and titles: the whole width, below the others
        grid = w.GridBox([self.charts.figures[n] for n in CHARTS if n not in wide],
                         layout=w.Layout(grid_template_columns="repeat(2, minmax(320px, 1fr))", width="100%"))
        self.chart_grid = w.VBox([grid, *(self.charts.figures[n] for n in wide)], layout=w.Layout(width="100%"))
        # save and render
        self.save_name = w.Text(layout=w.Layout(width="200px"))
        self.save_title = w.Text(layout=w.Layout(width="360px"))
        self.save_reason = w.Textarea(layout=w.Layout(width="560px", height="60px"))
        self.save_replace = w.Checkbox(value=False, indent=False)
        self.save_button = w.Button(button_style="primary")
        self.save_button.on_click(lambda _: self.save())
        self.save_message = w.HTML()
        self.render_button = w.Button()
        self.render_button.on_click(lambda _: self.render())
        self.render_bar = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="300px", visibility="hidden"))
        self.render_message = w.HTML()
        self._labels: dict[str, w.Widget] = {}
        row = w.HBox
        self._label("shipped", w.HTML())
        self._label("path", w.HTML())
        self._label("fan", w.HTML())
        self._label("paths", w.HTML())
        self._label("save_heading", w.HTML())
        self._label("render_heading", w.HTML())
        for key in ("save_name", "save_title", "save_reason"):
            self._label(key, w.HTML(layout=w.Layout(width="90px")))
        top = row([self.language, self._labels["shipped"], self.shipped, self._labels["path"], self.path,
                   self.load_button, self.reset_button], layout=w.Layout(flex_flow="row wrap", align_items="center"))
        fan_row = row([self.fan_on, self._labels["paths"], self.fan_paths], layout=w.Layout(align_items="center"))
        save_box = w.VBox([self._labels["save_heading"], row([self._labels["save_name"], self.save_name]),
                           row([self._labels["save_title"], self.save_title]),
                           row([self._labels["save_reason"], self.save_reason]),
                           row([self.save_replace, self.save_button]), self.save_message])
        render_box = w.VBox([self._labels["render_heading"], row([self.render_button, self.render_bar]),
                             self.render_message])
        save_box.add_class("xiqu-save")
        render_box.add_class("xiqu-render")
        left = w.VBox([self.controls_box, fan_row, save_box, render_box], layout=w.Layout(min_width="560px"))
        right = w.VBox([self.headline, self.structure, self.chart_grid], layout=w.Layout(flex="1 1 auto", min_width="0"))
        self.widget = w.VBox([self.title, self.intro, top, self.frame, self.status,
                              w.HBox([left, right], layout=w.Layout(align_items="flex-start", width="100%"))])
        self.widget.add_class("xiqu-explorer")
        self._relabel()

    def _label(self, key: str, widget: w.Widget) -> None:
        self._labels[key] = widget

    def _relabel(self) -> None:
        lang = self.lang
        self.title.value = f"<h2>{html.escape(t('explorer.title', lang))}</h2>"
        self.intro.value = f"<p>{html.escape(t('explorer.intro', lang))}</p>"
        start = self.state.start
        self.frame.value = "<p>" + html.escape(t("explorer.frame", lang, region=self.state.region.info.name(lang),
                                                 base_year=start.base_year, end_year=start.end_year,
                                                 title=_text(start.title, lang))) + "</p>"
        self._relisting = True  # the same scenarios by their titles in this language: nothing is loaded
        try:
            value = self.shipped.value
            self.shipped.options = self._shipped_options()
            self.shipped.value = value
        finally:
            self._relisting = False
        self._labels["shipped"].value = html.escape(t("explorer.start.shipped", lang))
        self._labels["path"].value = html.escape(t("explorer.start.path", lang))
        self.path.placeholder = t("explorer.start.path_placeholder", lang)
        self.load_button.description = t("explorer.start.load", lang)
        self.reset_button.description = t("explorer.start.reset", lang)
        self.fan_on.description = t("explorer.fan.show", lang)
        self._labels["paths"].value = html.escape(t("explorer.fan.paths", lang))
        self._labels["save_heading"].value = (f"<h3>{html.escape(t('explorer.save.heading', lang))}</h3><p>"
                                              + _with_code("explorer.save.folder", lang, "folder", _shown(self.save_folder))
                                              + "</p>")
        for key, text in (("save_name", "name"), ("save_title", "title"), ("save_reason", "reason")):
            self._labels[key].value = html.escape(t(f"explorer.save.{text}", lang))
        self.save_reason.placeholder = t("explorer.save.reason_placeholder", lang)
        self.save_replace.description = t("explorer.save.replace", lang)
        self.save_button.description = t("explorer.save.button", lang)
        self._labels["render_heading"].value = f"<h3>{html.escape(t('explorer.render.heading', lang))}</h3>"
        self.render_button.description = t("explorer.render.button", lang)
        for control in self.controls.values():
            control.relabel(lang)
        self._section_titles()

    def _shipped_options(self) -> list[tuple[str, str]]:
        """The shipped scenarios as (title in the page's language, name) pairs: the page shows titles."""
        titles = shipped_titles(self.lang)
        return [(titles.get(name) or name, name) for name in shipped_scenarios()]

    @property
    def save_folder(self) -> Path:
        return self.output_dir / "scenarios"

    def _load_controls(self) -> None:
        """One control per input of the current starting scenario, grouped by section."""
        self.controls = {s.path: Control(s, self._changed, self.lang) for s in self.state.specs}
        self._sections: dict[str, w.HTML] = {}
        children: list[w.Widget] = []
        for spec in self.state.specs:
            if spec.section not in self._sections:
                self._sections[spec.section] = w.HTML()
                children.append(self._sections[spec.section])
            children.append(self.controls[spec.path].box)
        self.controls_box.children = children
        self._section_titles()
        self.save_name.value = f"{self.state.start.name}_explored"
        self.save_title.value = t("explorer.save.default_title", self.lang,
                                  title=_text(self.state.start.title, self.lang))

    def _section_titles(self) -> None:
        for section, widget in getattr(self, "_sections", {}).items():
            key = f"explorer.section.{section}"
            text = t(key, self.lang) if has_key(key, "en") else section
            widget.value = f"<b>{html.escape(text)}</b>"

    def show(self) -> w.Widget:
        """Display the explorer (in a notebook or a Voilà page) and return its root widget."""
        from IPython.display import display

        display(self.widget)
        return self.widget

    def _ipython_display_(self) -> None:
        self.show()

    # ------------------------------------------------------------------ reacting
    def _changed(self, path: str, value: Any) -> None:
        try:
            moved = self.state.set(path, value)
        except Exception as exc:  # noqa: BLE001 - nothing raises into the notebook
            self.status.value = _error(str(exc))
            return
        for other, v in moved.items():
            self.controls[other].show(v)
        self._messages()
        self._debouncer.trigger()

    def _messages(self) -> None:
        problem = self.state.problem
        for path, control in self.controls.items():
            control.say(problem.text(self.lang) if problem is not None and problem.control == path else None)
        if problem is not None:
            self.status.value = _error(t("explorer.status.invalid", self.lang, problem=problem.line(self.lang)))

    def set_value(self, path: str, value: Any) -> None:
        """Set an input as a user would (tests, scripts): the control changes and the explorer reacts."""
        self.controls[path].value = value

    def refresh(self) -> None:
        """Redraw tables and charts from the last valid inputs (skipped when nothing they show changed)."""
        t0 = time.perf_counter()
        fan = int(self.fan_paths.value) if self.fan_on.value else 0
        key = (id(self.state.current), self.lang, fan)
        try:
            if self.start_views is None or self.start_views.headline.columns[0] != t("label.indicator", self.lang):
                self.start_views = compute_views(self.state.start, self.state.region, self.lang)
            if key != self._drawn:
                self.views = compute_views(self.state.current, self.state.region, self.lang, fan,
                                           self.state.current_projection)
                self._draw(fan)
                self._drawn = key
        except Exception as exc:  # noqa: BLE001 - nothing raises into the notebook; the last drawing stays
            self.status.value = _error(str(exc))
            return
        self.last_update_ms = (time.perf_counter() - t0) * 1000.0
        if self.state.problem is None:
            self.status.value = html.escape(t("explorer.status.updated", self.lang, ms=f"{self.last_update_ms:.0f}"))

    def _draw(self, fan: int) -> None:
        cur, st = self.views, self.start_views
        self.headline.value = (f"<h3>{html.escape(t('explorer.headline.heading', self.lang))}</h3>"
                               + headline_html(cur.headline, st.headline, cur.years, self.lang))
        self.structure_frames = (structure_frame(cur.projection.table, cur.years),
                                 structure_frame(st.projection.table, st.years))
        self.structure.value = (f"<h3>{html.escape(t('explorer.structure.heading', self.lang))}</h3>"
                                + structure_html(*self.structure_frames, cur.years, self.lang))
        self.charts.update(cur, st, self.lang, self.state.benchmark, fan)

    def set_language(self, lang: str) -> None:
        """Switch every label, table and chart to ``lang``."""
        if lang not in LANGUAGES:
            self.status.value = _error(f"unknown language {lang!r}")
            return
        self.lang = lang
        if self.language.value != lang:
            self.language.value = lang
        self._relabel()
        self._messages()
        self.refresh()

    def reset(self) -> None:
        """Every input back to the starting scenario."""
        self.state.reset()
        for path, control in self.controls.items():
            control.show(self.state.values[path])
        self._messages()
        self.refresh()

    def load(self, path: str | Path) -> bool:
        """Start again from another scenario (a file or a shipped name); a bad file leaves everything as it was."""
        try:
            state = ExplorerState.from_path(resolve_scenario_path(str(path)), self.regions)
        except InputError as exc:
            self.status.value = _error(t("explorer.status.load_failed", self.lang, problem=error_text(exc, self.lang)))
            return False
        self.state = state
        self.start_views = None
        self._drawn = None
        self.saved_path = None
        self._load_controls()
        self._relabel()
        self.refresh()
        self.status.value = _with_code("explorer.status.loaded", self.lang, "path", _shown(state.start.source_path))
        return True

    # ------------------------------------------------------------------ save and render
    def save(self) -> Path | None:
        """Save the current inputs as a scenario (:meth:`ExplorerState.save`); a refusal is shown, not raised."""
        try:
            path = self.state.save(self.save_folder, self.save_name.value, self.save_reason.value, self.lang,
                                   self.save_title.value, replace=self.save_replace.value)
        except InputError as exc:
            self.save_message.value = _error(problem_text(exc, self.lang))
            return None
        self.saved_path = path
        self.save_message.value = _with_code("explorer.save.saved", self.lang, "path", _shown(path))
        return path

    def render(self, extra_args: list[str] | None = None) -> RenderJob | None:
        """Run the report suite for the saved scenario in a subprocess; progress and links appear below the button."""
        if self.saved_path is None:
            self.render_message.value = _error(t("explorer.render.needs_save", self.lang))
            return None
        lang = self.lang
        self.render_bar.layout.visibility = "visible"
        self.render_bar.value = 0
        self.render_button.disabled = True
        job = RenderJob(self.saved_path, self.output_dir / "runs", lang, self._render_progress, extra_args)
        self.render_job = job.start()
        return job

    def _render_progress(self, p: RenderProgress) -> None:
        lang = self.lang
        self.render_bar.max = max(p.total, 1)
        self.render_bar.value = p.done
        name = self.saved_path.stem if self.saved_path else ""
        if p.state in ("starting", "running"):
            self.render_message.value = html.escape(t("explorer.render.running", lang, name=name, done=p.done,
                                                      total=p.total or "?"))
            return
        self.render_button.disabled = False
        if p.state == "failed":
            self.render_message.value = _error(t("explorer.render.failed", lang, code=p.exit_code, line=p.last_line))
            return
        links = []
        for title, path in p.files:
            url = file_url(path)
            text = t("explorer.render.index", lang) if title == "index" else f"{title}: {path.name}"
            links.append(f"<li><a href='{html.escape(url, quote=True)}' target='_blank'>{html.escape(text)}</a></li>"
                         if url else f"<li>{html.escape(text)} ({html.escape(str(path))})</li>")
        self.render_message.value = (html.escape(t("explorer.render.done", lang, status=p.run_status or "")) + "<ul>"
                                     + "".join(links) + "</ul>"
                                     + _with_code("explorer.render.path", lang, "path", _shown(p.run_dir)))


def _text(value: Any, lang: str = "en") -> str:
    """A scenario text field in ``lang`` when the scenario gives it, else as written."""
    if isinstance(value, Mapping):
        return str(value.get(lang) or next(iter(value.values()), ""))
    return scenario_text(value, lang)[0]


def _with_code(key: str, lang: str, field: str, value: str, **values: Any) -> str:
    """The HTML of a sentence whose ``field`` is a path or a file name: escaped, the path in ``<code>``."""
    marker = "\x00"
    text = html.escape(t(key, lang, **{field: marker}, **values))
    return text.replace(marker, f"<code>{html.escape(str(value))}</code>")


def _shown(path: Path) -> str:
    """A folder as the page shows it: relative to the project when inside it."""
    from ... import config

    try:
        return Path(path).resolve().relative_to(config.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _error(text: str) -> str:
    return f"<span style='{ERROR_STYLE}'>{html.escape(text)}</span>"


def start(namespace: Mapping[str, Any]) -> Explorer:
    """The explorer of ``notebooks/explore.ipynb``: its parameters (its ``globals()``) checked, the scenario loaded."""
    params = from_namespace("explore", namespace)
    return Explorer(params.scenario_path, page_language(params.language), params.n_paths, params.output_path())
