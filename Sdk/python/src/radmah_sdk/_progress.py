"""Optional progress bars (tqdm), off unless asked for."""

from __future__ import annotations

from typing import Any, Optional


class Progress:
    """A tqdm bar when ``enabled``; nothing at all otherwise."""

    def __init__(self, enabled: bool, *, total: Optional[float], description: str, unit: str = "it", unit_scale: bool = False) -> None:
        self._bar: Any = None
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            raise ImportError("progress bars need tqdm: pip install tqdm (or radmah-sdk[progress])") from None
        self._bar = tqdm(total=total, desc=description, unit=unit, unit_scale=unit_scale)

    def update_to(self, value: float, description: Optional[str] = None) -> None:
        if self._bar is None:
            return
        if description is not None:
            self._bar.set_description_str(description)
        self._bar.update(max(0.0, value - self._bar.n))

    def advance(self, amount: float) -> None:
        if self._bar is not None:
            self._bar.update(amount)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
