import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TariffDate(_message.Message):
    __slots__ = ("year", "month", "day", "month_day", "weekday")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    MONTH_DAY_FIELD_NUMBER: _ClassVar[int]
    WEEKDAY_FIELD_NUMBER: _ClassVar[int]
    year: int
    month: int
    day: int
    month_day: str
    weekday: int
    def __init__(self, year: _Optional[int] = ..., month: _Optional[int] = ..., day: _Optional[int] = ..., month_day: _Optional[str] = ..., weekday: _Optional[int] = ...) -> None: ...

class TariffSwitch(_message.Message):
    __slots__ = ("start", "action", "block")
    START_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    BLOCK_FIELD_NUMBER: _ClassVar[int]
    start: str
    action: int
    block: bool
    def __init__(self, start: _Optional[str] = ..., action: _Optional[int] = ..., block: _Optional[bool] = ...) -> None: ...

class TariffDayProfile(_message.Message):
    __slots__ = ("name", "switches")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SWITCHES_FIELD_NUMBER: _ClassVar[int]
    name: int
    switches: _containers.RepeatedCompositeFieldContainer[TariffSwitch]
    def __init__(self, name: _Optional[int] = ..., switches: _Optional[_Iterable[_Union[TariffSwitch, _Mapping]]] = ...) -> None: ...

class TariffWeekProfile(_message.Message):
    __slots__ = ("name", "days")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    name: int
    days: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, name: _Optional[int] = ..., days: _Optional[_Iterable[int]] = ...) -> None: ...

class TariffSeason(_message.Message):
    __slots__ = ("name", "start", "week")
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    WEEK_FIELD_NUMBER: _ClassVar[int]
    name: str
    start: TariffDate
    week: int
    def __init__(self, name: _Optional[str] = ..., start: _Optional[_Union[TariffDate, _Mapping]] = ..., week: _Optional[int] = ...) -> None: ...

class TariffSpecialDay(_message.Message):
    __slots__ = ("date", "day")
    DATE_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    date: TariffDate
    day: int
    def __init__(self, date: _Optional[_Union[TariffDate, _Mapping]] = ..., day: _Optional[int] = ...) -> None: ...

class TariffSwitchingTable(_message.Message):
    __slots__ = ("day_profiles", "week_profiles", "seasons", "special_days")
    DAY_PROFILES_FIELD_NUMBER: _ClassVar[int]
    WEEK_PROFILES_FIELD_NUMBER: _ClassVar[int]
    SEASONS_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    day_profiles: _containers.RepeatedCompositeFieldContainer[TariffDayProfile]
    week_profiles: _containers.RepeatedCompositeFieldContainer[TariffWeekProfile]
    seasons: _containers.RepeatedCompositeFieldContainer[TariffSeason]
    special_days: _containers.RepeatedCompositeFieldContainer[TariffSpecialDay]
    def __init__(self, day_profiles: _Optional[_Iterable[_Union[TariffDayProfile, _Mapping]]] = ..., week_profiles: _Optional[_Iterable[_Union[TariffWeekProfile, _Mapping]]] = ..., seasons: _Optional[_Iterable[_Union[TariffSeason, _Mapping]]] = ..., special_days: _Optional[_Iterable[_Union[TariffSpecialDay, _Mapping]]] = ...) -> None: ...

class TariffIndexedValue(_message.Message):
    __slots__ = ("index", "value")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    index: int
    value: int
    def __init__(self, index: _Optional[int] = ..., value: _Optional[int] = ...) -> None: ...

class TariffIndexedRow(_message.Message):
    __slots__ = ("index", "values")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    index: int
    values: _containers.RepeatedCompositeFieldContainer[TariffIndexedValue]
    def __init__(self, index: _Optional[int] = ..., values: _Optional[_Iterable[_Union[TariffIndexedValue, _Mapping]]] = ...) -> None: ...

class TariffElecPrices(_message.Message):
    __slots__ = ("standing_charge", "standing_charge_scale", "price_scale", "block_prices", "tou_prices")
    STANDING_CHARGE_FIELD_NUMBER: _ClassVar[int]
    STANDING_CHARGE_SCALE_FIELD_NUMBER: _ClassVar[int]
    PRICE_SCALE_FIELD_NUMBER: _ClassVar[int]
    BLOCK_PRICES_FIELD_NUMBER: _ClassVar[int]
    TOU_PRICES_FIELD_NUMBER: _ClassVar[int]
    standing_charge: int
    standing_charge_scale: int
    price_scale: int
    block_prices: _containers.RepeatedCompositeFieldContainer[TariffIndexedRow]
    tou_prices: _containers.RepeatedCompositeFieldContainer[TariffIndexedValue]
    def __init__(self, standing_charge: _Optional[int] = ..., standing_charge_scale: _Optional[int] = ..., price_scale: _Optional[int] = ..., block_prices: _Optional[_Iterable[_Union[TariffIndexedRow, _Mapping]]] = ..., tou_prices: _Optional[_Iterable[_Union[TariffIndexedValue, _Mapping]]] = ...) -> None: ...

class TariffGasPrices(_message.Message):
    __slots__ = ("currency", "standing_charge", "block_prices", "number_of_thresholds", "tou_prices")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    STANDING_CHARGE_FIELD_NUMBER: _ClassVar[int]
    BLOCK_PRICES_FIELD_NUMBER: _ClassVar[int]
    NUMBER_OF_THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    TOU_PRICES_FIELD_NUMBER: _ClassVar[int]
    currency: str
    standing_charge: int
    block_prices: _containers.RepeatedCompositeFieldContainer[TariffIndexedValue]
    number_of_thresholds: int
    tou_prices: _containers.RepeatedCompositeFieldContainer[TariffIndexedValue]
    def __init__(self, currency: _Optional[str] = ..., standing_charge: _Optional[int] = ..., block_prices: _Optional[_Iterable[_Union[TariffIndexedValue, _Mapping]]] = ..., number_of_thresholds: _Optional[int] = ..., tou_prices: _Optional[_Iterable[_Union[TariffIndexedValue, _Mapping]]] = ...) -> None: ...

class TariffPrimaryPrices(_message.Message):
    __slots__ = ("electricity", "gas")
    ELECTRICITY_FIELD_NUMBER: _ClassVar[int]
    GAS_FIELD_NUMBER: _ClassVar[int]
    electricity: TariffElecPrices
    gas: TariffGasPrices
    def __init__(self, electricity: _Optional[_Union[TariffElecPrices, _Mapping]] = ..., gas: _Optional[_Union[TariffGasPrices, _Mapping]] = ...) -> None: ...

class TariffSecondaryPrices(_message.Message):
    __slots__ = ("price_scale", "tou_prices")
    PRICE_SCALE_FIELD_NUMBER: _ClassVar[int]
    TOU_PRICES_FIELD_NUMBER: _ClassVar[int]
    price_scale: int
    tou_prices: _containers.RepeatedCompositeFieldContainer[TariffIndexedValue]
    def __init__(self, price_scale: _Optional[int] = ..., tou_prices: _Optional[_Iterable[_Union[TariffIndexedValue, _Mapping]]] = ...) -> None: ...

class TariffPrimary(_message.Message):
    __slots__ = ("fuel", "table", "thresholds", "prices", "currency")
    FUEL_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    PRICES_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    fuel: str
    table: TariffSwitchingTable
    thresholds: _containers.RepeatedCompositeFieldContainer[TariffIndexedRow]
    prices: TariffPrimaryPrices
    currency: str
    def __init__(self, fuel: _Optional[str] = ..., table: _Optional[_Union[TariffSwitchingTable, _Mapping]] = ..., thresholds: _Optional[_Iterable[_Union[TariffIndexedRow, _Mapping]]] = ..., prices: _Optional[_Union[TariffPrimaryPrices, _Mapping]] = ..., currency: _Optional[str] = ...) -> None: ...

class TariffSecondary(_message.Message):
    __slots__ = ("table", "prices")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    PRICES_FIELD_NUMBER: _ClassVar[int]
    table: TariffSwitchingTable
    prices: TariffSecondaryPrices
    def __init__(self, table: _Optional[_Union[TariffSwitchingTable, _Mapping]] = ..., prices: _Optional[_Union[TariffSecondaryPrices, _Mapping]] = ...) -> None: ...

class TariffResetBlockCounterMatrix(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TariffSetDailyBlockCounterReset(_message.Message):
    __slots__ = ("daily",)
    DAILY_FIELD_NUMBER: _ClassVar[int]
    daily: bool
    def __init__(self, daily: _Optional[bool] = ...) -> None: ...

class TariffReadTouMatrices(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TariffReadTouWithBlocksMatrices(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TariffReadBlockCounters(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TariffReadBillingDataLog(_message.Message):
    __slots__ = ("start", "end", "ka_certificate")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    KA_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    ka_certificate: bytes
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ka_certificate: _Optional[bytes] = ...) -> None: ...

class TariffReadPrimary(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TariffReadSecondary(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TariffReadBillingCalendar(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TariffElecBillingCalendar(_message.Message):
    __slots__ = ("billing_time", "periodicity", "day", "start_month")
    BILLING_TIME_FIELD_NUMBER: _ClassVar[int]
    PERIODICITY_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    START_MONTH_FIELD_NUMBER: _ClassVar[int]
    billing_time: str
    periodicity: str
    day: int
    start_month: int
    def __init__(self, billing_time: _Optional[str] = ..., periodicity: _Optional[str] = ..., day: _Optional[int] = ..., start_month: _Optional[int] = ...) -> None: ...

class TariffGasBillingCalendar(_message.Message):
    __slots__ = ("period_start", "periodicity")
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIODICITY_FIELD_NUMBER: _ClassVar[int]
    period_start: _timestamp_pb2.Timestamp
    periodicity: str
    def __init__(self, period_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., periodicity: _Optional[str] = ...) -> None: ...

class TariffBillingCalendar(_message.Message):
    __slots__ = ("electricity", "gas")
    ELECTRICITY_FIELD_NUMBER: _ClassVar[int]
    GAS_FIELD_NUMBER: _ClassVar[int]
    electricity: TariffElecBillingCalendar
    gas: TariffGasBillingCalendar
    def __init__(self, electricity: _Optional[_Union[TariffElecBillingCalendar, _Mapping]] = ..., gas: _Optional[_Union[TariffGasBillingCalendar, _Mapping]] = ...) -> None: ...

class TariffTouMatrices(_message.Message):
    __slots__ = ("fuel", "tou", "secondary")
    FUEL_FIELD_NUMBER: _ClassVar[int]
    TOU_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_FIELD_NUMBER: _ClassVar[int]
    fuel: str
    tou: _containers.RepeatedScalarFieldContainer[int]
    secondary: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, fuel: _Optional[str] = ..., tou: _Optional[_Iterable[int]] = ..., secondary: _Optional[_Iterable[int]] = ...) -> None: ...

class TariffBlockRegisters(_message.Message):
    __slots__ = ("registers", "counters")
    REGISTERS_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    registers: _containers.RepeatedScalarFieldContainer[int]
    counters: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, registers: _Optional[_Iterable[int]] = ..., counters: _Optional[_Iterable[int]] = ...) -> None: ...

class TariffTouWithBlocks(_message.Message):
    __slots__ = ("blocks",)
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    blocks: _containers.RepeatedCompositeFieldContainer[TariffBlockRegisters]
    def __init__(self, blocks: _Optional[_Iterable[_Union[TariffBlockRegisters, _Mapping]]] = ...) -> None: ...

class TariffBlockCounters(_message.Message):
    __slots__ = ("counters",)
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    counters: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, counters: _Optional[_Iterable[int]] = ...) -> None: ...

class TariffRegisters(_message.Message):
    __slots__ = ("at", "total", "tou", "blocks", "secondary_total", "secondary")
    AT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TOU_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_TOTAL_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    total: int
    tou: _containers.RepeatedScalarFieldContainer[int]
    blocks: _containers.RepeatedCompositeFieldContainer[TariffBlockRegisters]
    secondary_total: int
    secondary: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., total: _Optional[int] = ..., tou: _Optional[_Iterable[int]] = ..., blocks: _Optional[_Iterable[_Union[TariffBlockRegisters, _Mapping]]] = ..., secondary_total: _Optional[int] = ..., secondary: _Optional[_Iterable[int]] = ...) -> None: ...

class TariffBillingDataLog(_message.Message):
    __slots__ = ("fuel", "calendar", "entries")
    FUEL_FIELD_NUMBER: _ClassVar[int]
    CALENDAR_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    fuel: str
    calendar: bool
    entries: _containers.RepeatedCompositeFieldContainer[TariffRegisters]
    def __init__(self, fuel: _Optional[str] = ..., calendar: _Optional[bool] = ..., entries: _Optional[_Iterable[_Union[TariffRegisters, _Mapping]]] = ...) -> None: ...

class TariffPrimaryRead(_message.Message):
    __slots__ = ("fuel", "active_price", "tariff")
    FUEL_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_PRICE_FIELD_NUMBER: _ClassVar[int]
    TARIFF_FIELD_NUMBER: _ClassVar[int]
    fuel: str
    active_price: int
    tariff: TariffPrimary
    def __init__(self, fuel: _Optional[str] = ..., active_price: _Optional[int] = ..., tariff: _Optional[_Union[TariffPrimary, _Mapping]] = ...) -> None: ...

class TariffSecondaryRead(_message.Message):
    __slots__ = ("active_price", "tariff")
    ACTIVE_PRICE_FIELD_NUMBER: _ClassVar[int]
    TARIFF_FIELD_NUMBER: _ClassVar[int]
    active_price: int
    tariff: TariffSecondary
    def __init__(self, active_price: _Optional[int] = ..., tariff: _Optional[_Union[TariffSecondary, _Mapping]] = ...) -> None: ...

class TariffBillingCalendarRead(_message.Message):
    __slots__ = ("calendar",)
    CALENDAR_FIELD_NUMBER: _ClassVar[int]
    calendar: TariffBillingCalendar
    def __init__(self, calendar: _Optional[_Union[TariffBillingCalendar, _Mapping]] = ...) -> None: ...
