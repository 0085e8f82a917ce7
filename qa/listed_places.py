"""Sums over places listed before what is summed: "新华区、卫东区、湛河区、石龙区这四个区的
税收返还和转移支付一共多少". The words after the list (税收返还和转移支付) say what is taken of
each place; their 和 joins the name of one figure, not two more addends.
"""

from __future__ import annotations

import re

# A place at the start of a piece: "维西县", "香格里拉市", "城乡一体化示范区", "州本级".
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(市|县|区|州|旗|盟|园区|本级)")
# "这四个区", "这几个县", "等": words that count or close the list.
_CLOSING = re.compile(r"^(这|那)?[两二三四五六七八九十几]*(个)?(区|县|市|县市|区县|地方|地区)?(等)?")


def places_and_measure(body: str) -> tuple[list[str], str] | None:
    """(places, what is taken of each) when `body` lists two or more places joined by 、 or
    和 and then names one measure; None otherwise."""
    places, at = [], 0
    while True:
        place = _PLACE.match(body[at:])
        if place is None:
            return None
        places.append(place.group(0))
        at += place.end()
        joined = re.match(r"[、和与及跟]", body[at:])
        if joined is None:
            break
        at += joined.end()
    if len(places) < 2:
        return None
    rest = body[at:]
    rest = rest[_CLOSING.match(rest).end():]
    measure = re.sub(r"^的", "", rest)
    if len(re.sub(r"[^\u4e00-\u9fff]", "", measure)) < 2:
        return None
    return places, measure
