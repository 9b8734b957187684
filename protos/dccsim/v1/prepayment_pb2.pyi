import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PaymentMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_MODE_UNSPECIFIED: _ClassVar[PaymentMode]
    PAYMENT_MODE_CREDIT: _ClassVar[PaymentMode]
    PAYMENT_MODE_PREPAYMENT: _ClassVar[PaymentMode]

class SupplyState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUPPLY_STATE_UNSPECIFIED: _ClassVar[SupplyState]
    SUPPLY_STATE_ENABLED: _ClassVar[SupplyState]
    SUPPLY_STATE_ARMED: _ClassVar[SupplyState]
    SUPPLY_STATE_DISABLED: _ClassVar[SupplyState]

class DebtRecoveryPeriod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEBT_RECOVERY_PERIOD_UNSPECIFIED: _ClassVar[DebtRecoveryPeriod]
    DEBT_RECOVERY_PERIOD_HOURLY: _ClassVar[DebtRecoveryPeriod]
    DEBT_RECOVERY_PERIOD_DAILY: _ClassVar[DebtRecoveryPeriod]

class NonDisablementScript(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NON_DISABLEMENT_SCRIPT_UNSPECIFIED: _ClassVar[NonDisablementScript]
    NON_DISABLEMENT_SCRIPT_START: _ClassVar[NonDisablementScript]
    NON_DISABLEMENT_SCRIPT_STOP: _ClassVar[NonDisablementScript]
PAYMENT_MODE_UNSPECIFIED: PaymentMode
PAYMENT_MODE_CREDIT: PaymentMode
PAYMENT_MODE_PREPAYMENT: PaymentMode
SUPPLY_STATE_UNSPECIFIED: SupplyState
SUPPLY_STATE_ENABLED: SupplyState
SUPPLY_STATE_ARMED: SupplyState
SUPPLY_STATE_DISABLED: SupplyState
DEBT_RECOVERY_PERIOD_UNSPECIFIED: DebtRecoveryPeriod
DEBT_RECOVERY_PERIOD_HOURLY: DebtRecoveryPeriod
DEBT_RECOVERY_PERIOD_DAILY: DebtRecoveryPeriod
NON_DISABLEMENT_SCRIPT_UNSPECIFIED: NonDisablementScript
NON_DISABLEMENT_SCRIPT_START: NonDisablementScript
NON_DISABLEMENT_SCRIPT_STOP: NonDisablementScript

class UpdateMeterBalance(_message.Message):
    __slots__ = ("mode", "adjust")
    MODE_FIELD_NUMBER: _ClassVar[int]
    ADJUST_FIELD_NUMBER: _ClassVar[int]
    mode: PaymentMode
    adjust: int
    def __init__(self, mode: _Optional[_Union[PaymentMode, str]] = ..., adjust: _Optional[int] = ...) -> None: ...

class UpdatePaymentMode(_message.Message):
    __slots__ = ("mode", "suspend_debt_disabled", "suspend_debt_emergency", "disablement_threshold")
    MODE_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_DEBT_DISABLED_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_DEBT_EMERGENCY_FIELD_NUMBER: _ClassVar[int]
    DISABLEMENT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    mode: PaymentMode
    suspend_debt_disabled: bool
    suspend_debt_emergency: bool
    disablement_threshold: int
    def __init__(self, mode: _Optional[_Union[PaymentMode, str]] = ..., suspend_debt_disabled: _Optional[bool] = ..., suspend_debt_emergency: _Optional[bool] = ..., disablement_threshold: _Optional[int] = ...) -> None: ...

class WildcardDate(_message.Message):
    __slots__ = ("year", "month", "day_of_month", "day_of_month_word", "day_of_week")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    DAY_OF_MONTH_FIELD_NUMBER: _ClassVar[int]
    DAY_OF_MONTH_WORD_FIELD_NUMBER: _ClassVar[int]
    DAY_OF_WEEK_FIELD_NUMBER: _ClassVar[int]
    year: int
    month: int
    day_of_month: int
    day_of_month_word: str
    day_of_week: int
    def __init__(self, year: _Optional[int] = ..., month: _Optional[int] = ..., day_of_month: _Optional[int] = ..., day_of_month_word: _Optional[str] = ..., day_of_week: _Optional[int] = ...) -> None: ...

class ElecSpecialDay(_message.Message):
    __slots__ = ("index", "date")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    index: int
    date: WildcardDate
    def __init__(self, index: _Optional[int] = ..., date: _Optional[_Union[WildcardDate, _Mapping]] = ...) -> None: ...

class ElecNonDisablementSchedule(_message.Message):
    __slots__ = ("script", "special_days", "weekdays", "switch_time", "start_date", "end_date")
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    WEEKDAYS_FIELD_NUMBER: _ClassVar[int]
    SWITCH_TIME_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    script: NonDisablementScript
    special_days: _containers.RepeatedScalarFieldContainer[int]
    weekdays: _containers.RepeatedScalarFieldContainer[str]
    switch_time: str
    start_date: str
    end_date: str
    def __init__(self, script: _Optional[_Union[NonDisablementScript, str]] = ..., special_days: _Optional[_Iterable[int]] = ..., weekdays: _Optional[_Iterable[str]] = ..., switch_time: _Optional[str] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ...) -> None: ...

class ElecNonDisablementCalendar(_message.Message):
    __slots__ = ("special_days", "schedules")
    SPECIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULES_FIELD_NUMBER: _ClassVar[int]
    special_days: _containers.RepeatedCompositeFieldContainer[ElecSpecialDay]
    schedules: _containers.RepeatedCompositeFieldContainer[ElecNonDisablementSchedule]
    def __init__(self, special_days: _Optional[_Iterable[_Union[ElecSpecialDay, _Mapping]]] = ..., schedules: _Optional[_Iterable[_Union[ElecNonDisablementSchedule, _Mapping]]] = ...) -> None: ...

class GasNonDisablementAction(_message.Message):
    __slots__ = ("start_time", "script")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    start_time: str
    script: NonDisablementScript
    def __init__(self, start_time: _Optional[str] = ..., script: _Optional[_Union[NonDisablementScript, str]] = ...) -> None: ...

class GasNonDisablementDayProfile(_message.Message):
    __slots__ = ("actions", "day_name")
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    DAY_NAME_FIELD_NUMBER: _ClassVar[int]
    actions: _containers.RepeatedCompositeFieldContainer[GasNonDisablementAction]
    day_name: int
    def __init__(self, actions: _Optional[_Iterable[_Union[GasNonDisablementAction, _Mapping]]] = ..., day_name: _Optional[int] = ...) -> None: ...

class GasNonDisablementWeekProfile(_message.Message):
    __slots__ = ("week_name", "day_names")
    WEEK_NAME_FIELD_NUMBER: _ClassVar[int]
    DAY_NAMES_FIELD_NUMBER: _ClassVar[int]
    week_name: int
    day_names: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, week_name: _Optional[int] = ..., day_names: _Optional[_Iterable[int]] = ...) -> None: ...

class GasNonDisablementSeason(_message.Message):
    __slots__ = ("start", "week_name")
    START_FIELD_NUMBER: _ClassVar[int]
    WEEK_NAME_FIELD_NUMBER: _ClassVar[int]
    start: WildcardDate
    week_name: int
    def __init__(self, start: _Optional[_Union[WildcardDate, _Mapping]] = ..., week_name: _Optional[int] = ...) -> None: ...

class GasNonDisablementSpecialDay(_message.Message):
    __slots__ = ("date", "day_name")
    DATE_FIELD_NUMBER: _ClassVar[int]
    DAY_NAME_FIELD_NUMBER: _ClassVar[int]
    date: WildcardDate
    day_name: int
    def __init__(self, date: _Optional[_Union[WildcardDate, _Mapping]] = ..., day_name: _Optional[int] = ...) -> None: ...

class GasNonDisablementCalendar(_message.Message):
    __slots__ = ("day_profiles", "week_profiles", "seasons", "special_days")
    DAY_PROFILES_FIELD_NUMBER: _ClassVar[int]
    WEEK_PROFILES_FIELD_NUMBER: _ClassVar[int]
    SEASONS_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    day_profiles: _containers.RepeatedCompositeFieldContainer[GasNonDisablementDayProfile]
    week_profiles: _containers.RepeatedCompositeFieldContainer[GasNonDisablementWeekProfile]
    seasons: _containers.RepeatedCompositeFieldContainer[GasNonDisablementSeason]
    special_days: _containers.RepeatedCompositeFieldContainer[GasNonDisablementSpecialDay]
    def __init__(self, day_profiles: _Optional[_Iterable[_Union[GasNonDisablementDayProfile, _Mapping]]] = ..., week_profiles: _Optional[_Iterable[_Union[GasNonDisablementWeekProfile, _Mapping]]] = ..., seasons: _Optional[_Iterable[_Union[GasNonDisablementSeason, _Mapping]]] = ..., special_days: _Optional[_Iterable[_Union[GasNonDisablementSpecialDay, _Mapping]]] = ...) -> None: ...

class UpdatePrepayConfiguration(_message.Message):
    __slots__ = ("debt_recovery_rate_cap", "emergency_credit_limit", "emergency_credit_threshold", "low_credit_threshold", "max_meter_balance", "max_credit_threshold", "electricity", "gas")
    DEBT_RECOVERY_RATE_CAP_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_CREDIT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_CREDIT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    LOW_CREDIT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    MAX_METER_BALANCE_FIELD_NUMBER: _ClassVar[int]
    MAX_CREDIT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    ELECTRICITY_FIELD_NUMBER: _ClassVar[int]
    GAS_FIELD_NUMBER: _ClassVar[int]
    debt_recovery_rate_cap: int
    emergency_credit_limit: int
    emergency_credit_threshold: int
    low_credit_threshold: int
    max_meter_balance: int
    max_credit_threshold: int
    electricity: ElecNonDisablementCalendar
    gas: GasNonDisablementCalendar
    def __init__(self, debt_recovery_rate_cap: _Optional[int] = ..., emergency_credit_limit: _Optional[int] = ..., emergency_credit_threshold: _Optional[int] = ..., low_credit_threshold: _Optional[int] = ..., max_meter_balance: _Optional[int] = ..., max_credit_threshold: _Optional[int] = ..., electricity: _Optional[_Union[ElecNonDisablementCalendar, _Mapping]] = ..., gas: _Optional[_Union[GasNonDisablementCalendar, _Mapping]] = ...) -> None: ...

class DebtRecoveryRate(_message.Message):
    __slots__ = ("rate", "price_scale", "period")
    RATE_FIELD_NUMBER: _ClassVar[int]
    PRICE_SCALE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    rate: int
    price_scale: int
    period: DebtRecoveryPeriod
    def __init__(self, rate: _Optional[int] = ..., price_scale: _Optional[int] = ..., period: _Optional[_Union[DebtRecoveryPeriod, str]] = ...) -> None: ...

class UpdateDebt(_message.Message):
    __slots__ = ("time_debt_1", "time_debt_2", "payment_debt", "debt_recovery_per_payment", "recovery_1", "recovery_2")
    TIME_DEBT_1_FIELD_NUMBER: _ClassVar[int]
    TIME_DEBT_2_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_DEBT_FIELD_NUMBER: _ClassVar[int]
    DEBT_RECOVERY_PER_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    RECOVERY_1_FIELD_NUMBER: _ClassVar[int]
    RECOVERY_2_FIELD_NUMBER: _ClassVar[int]
    time_debt_1: int
    time_debt_2: int
    payment_debt: int
    debt_recovery_per_payment: int
    recovery_1: DebtRecoveryRate
    recovery_2: DebtRecoveryRate
    def __init__(self, time_debt_1: _Optional[int] = ..., time_debt_2: _Optional[int] = ..., payment_debt: _Optional[int] = ..., debt_recovery_per_payment: _Optional[int] = ..., recovery_1: _Optional[_Union[DebtRecoveryRate, _Mapping]] = ..., recovery_2: _Optional[_Union[DebtRecoveryRate, _Mapping]] = ...) -> None: ...

class ActivateEmergencyCredit(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadInstantaneousPrepayValues(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadPrepaymentConfiguration(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadMeterBalance(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadPaymentMode(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EnableSupply(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DisableSupply(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ArmSupply(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadSupplyStatus(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadPrepaymentBillingLog(_message.Message):
    __slots__ = ("start", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReadPrepaymentDailyReadLog(_message.Message):
    __slots__ = ("start", "end", "ka_certificate")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    KA_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    ka_certificate: bytes
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ka_certificate: _Optional[bytes] = ...) -> None: ...

class PrepaymentCommandRefused(_message.Message):
    __slots__ = ("alert_code",)
    ALERT_CODE_FIELD_NUMBER: _ClassVar[int]
    alert_code: int
    def __init__(self, alert_code: _Optional[int] = ...) -> None: ...

class PrepayValues(_message.Message):
    __slots__ = ("emergency_credit_balance", "accumulated_debt", "payment_debt", "time_debt_1", "time_debt_2", "meter_balance", "timestamp")
    EMERGENCY_CREDIT_BALANCE_FIELD_NUMBER: _ClassVar[int]
    ACCUMULATED_DEBT_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_DEBT_FIELD_NUMBER: _ClassVar[int]
    TIME_DEBT_1_FIELD_NUMBER: _ClassVar[int]
    TIME_DEBT_2_FIELD_NUMBER: _ClassVar[int]
    METER_BALANCE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    emergency_credit_balance: int
    accumulated_debt: int
    payment_debt: int
    time_debt_1: int
    time_debt_2: int
    meter_balance: int
    timestamp: _timestamp_pb2.Timestamp
    def __init__(self, emergency_credit_balance: _Optional[int] = ..., accumulated_debt: _Optional[int] = ..., payment_debt: _Optional[int] = ..., time_debt_1: _Optional[int] = ..., time_debt_2: _Optional[int] = ..., meter_balance: _Optional[int] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MeterBalance(_message.Message):
    __slots__ = ("meter_balance", "prepayment_mode_balance")
    METER_BALANCE_FIELD_NUMBER: _ClassVar[int]
    PREPAYMENT_MODE_BALANCE_FIELD_NUMBER: _ClassVar[int]
    meter_balance: int
    prepayment_mode_balance: int
    def __init__(self, meter_balance: _Optional[int] = ..., prepayment_mode_balance: _Optional[int] = ...) -> None: ...

class PrepaymentLogEntry(_message.Message):
    __slots__ = ("amount", "timestamp")
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    amount: int
    timestamp: _timestamp_pb2.Timestamp
    def __init__(self, amount: _Optional[int] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PrepaymentBillingLog(_message.Message):
    __slots__ = ("debt_payments", "entries")
    DEBT_PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    debt_payments: bool
    entries: _containers.RepeatedCompositeFieldContainer[PrepaymentLogEntry]
    def __init__(self, debt_payments: _Optional[bool] = ..., entries: _Optional[_Iterable[_Union[PrepaymentLogEntry, _Mapping]]] = ...) -> None: ...

class PrepaymentConfiguration(_message.Message):
    __slots__ = ("gas", "payment_mode", "debt_recovery_per_payment", "debt_recovery_rate_cap", "disablement_threshold", "emergency_credit_limit", "emergency_credit_threshold", "low_credit_threshold", "max_credit_threshold", "max_meter_balance", "suspend_debt_disabled", "suspend_debt_emergency", "electricity", "gas_calendar", "recovery_1", "recovery_2")
    GAS_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_MODE_FIELD_NUMBER: _ClassVar[int]
    DEBT_RECOVERY_PER_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    DEBT_RECOVERY_RATE_CAP_FIELD_NUMBER: _ClassVar[int]
    DISABLEMENT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_CREDIT_LIMIT_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_CREDIT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    LOW_CREDIT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    MAX_CREDIT_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    MAX_METER_BALANCE_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_DEBT_DISABLED_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_DEBT_EMERGENCY_FIELD_NUMBER: _ClassVar[int]
    ELECTRICITY_FIELD_NUMBER: _ClassVar[int]
    GAS_CALENDAR_FIELD_NUMBER: _ClassVar[int]
    RECOVERY_1_FIELD_NUMBER: _ClassVar[int]
    RECOVERY_2_FIELD_NUMBER: _ClassVar[int]
    gas: bool
    payment_mode: PaymentMode
    debt_recovery_per_payment: int
    debt_recovery_rate_cap: int
    disablement_threshold: int
    emergency_credit_limit: int
    emergency_credit_threshold: int
    low_credit_threshold: int
    max_credit_threshold: int
    max_meter_balance: int
    suspend_debt_disabled: bool
    suspend_debt_emergency: bool
    electricity: ElecNonDisablementCalendar
    gas_calendar: GasNonDisablementCalendar
    recovery_1: DebtRecoveryRate
    recovery_2: DebtRecoveryRate
    def __init__(self, gas: _Optional[bool] = ..., payment_mode: _Optional[_Union[PaymentMode, str]] = ..., debt_recovery_per_payment: _Optional[int] = ..., debt_recovery_rate_cap: _Optional[int] = ..., disablement_threshold: _Optional[int] = ..., emergency_credit_limit: _Optional[int] = ..., emergency_credit_threshold: _Optional[int] = ..., low_credit_threshold: _Optional[int] = ..., max_credit_threshold: _Optional[int] = ..., max_meter_balance: _Optional[int] = ..., suspend_debt_disabled: _Optional[bool] = ..., suspend_debt_emergency: _Optional[bool] = ..., electricity: _Optional[_Union[ElecNonDisablementCalendar, _Mapping]] = ..., gas_calendar: _Optional[_Union[GasNonDisablementCalendar, _Mapping]] = ..., recovery_1: _Optional[_Union[DebtRecoveryRate, _Mapping]] = ..., recovery_2: _Optional[_Union[DebtRecoveryRate, _Mapping]] = ...) -> None: ...

class PrepaymentDailyReadLog(_message.Message):
    __slots__ = ("gas", "entries")
    GAS_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    gas: bool
    entries: _containers.RepeatedCompositeFieldContainer[PrepayValues]
    def __init__(self, gas: _Optional[bool] = ..., entries: _Optional[_Iterable[_Union[PrepayValues, _Mapping]]] = ...) -> None: ...

class PaymentModeRead(_message.Message):
    __slots__ = ("payment_mode", "suspend_debt_emergency", "suspend_debt_disabled")
    PAYMENT_MODE_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_DEBT_EMERGENCY_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_DEBT_DISABLED_FIELD_NUMBER: _ClassVar[int]
    payment_mode: PaymentMode
    suspend_debt_emergency: bool
    suspend_debt_disabled: bool
    def __init__(self, payment_mode: _Optional[_Union[PaymentMode, str]] = ..., suspend_debt_emergency: _Optional[bool] = ..., suspend_debt_disabled: _Optional[bool] = ...) -> None: ...

class SupplyStatus(_message.Message):
    __slots__ = ("state",)
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: SupplyState
    def __init__(self, state: _Optional[_Union[SupplyState, str]] = ...) -> None: ...
