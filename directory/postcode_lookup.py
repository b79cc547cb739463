"""Full-postcode lookup online (a postcodes.io-style API), falling back to the district offline.

Off unless configured: set POSTCODE_API_URL (for example https://api.postcodes.io). The
assistant never calls out to anything else, and never waits long: a slow or failing API means
the district's centre from the gazetteer, as without the API.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import replace
from typing import Optional

import aiohttp

from directory.gazetteer import Gazetteer, Resolution, load_default, parse_postcode

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 3.0


class PostcodeLookup:
    def __init__(self, base_url: Optional[str] = None, gazetteer: Optional[Gazetteer] = None,
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self.base_url = (base_url if base_url is not None
                         else os.environ.get("POSTCODE_API_URL", "")).rstrip("/")
        self.gazetteer = gazetteer or load_default()
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def resolve(self, text: str) -> Optional[Resolution]:
        """Like Gazetteer.resolve, but a full postcode in our area gets its own point if it can."""
        offline = self.gazetteer.resolve(text)
        parsed = parse_postcode(text)
        if (not self.base_url or offline is None or not offline.in_area or parsed is None
                or " " not in parsed[1]):
            return offline
        point = await self._lookup(parsed[1])
        if point is None:
            return offline
        return replace(offline, lat=point[0], lon=point[1], approximate=False)

    async def _lookup(self, postcode: str) -> Optional[tuple[float, float]]:
        url = f"{self.base_url}/postcodes/{postcode.replace(' ', '')}"
        try:
            async with aiohttp.ClientSession(timeout=self.timeout) as session:
                async with session.get(url) as response:
                    if response.status != 200:
                        logger.info("Postcode API answered %s; using the district", response.status)
                        return None
                    body = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            logger.warning("Postcode API unavailable (%s); using the district",
                           type(error).__name__)
            return None
        result = (body or {}).get("result") or {}
        lat, lon = result.get("latitude"), result.get("longitude")
        if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
            return None
        return float(lat), float(lon)
