import datetime

from dccsim.v1 import auxiliary_loads_pb2 as _auxiliary_loads_pb2
from dccsim.v1 import configuration_pb2 as _configuration_pb2
from dccsim.v1 import credentials_pb2 as _credentials_pb2
from dccsim.v1 import customer_and_network_pb2 as _customer_and_network_pb2
from dccsim.v1 import display_pb2 as _display_pb2
from dccsim.v1 import han_pb2 as _han_pb2
from dccsim.v1 import local_command_pb2 as _local_command_pb2
from dccsim.v1 import prepayment_pb2 as _prepayment_pb2
from dccsim.v1 import reads_pb2 as _reads_pb2
from dccsim.v1 import schedules_pb2 as _schedules_pb2
from dccsim.v1 import service_opt_pb2 as _service_opt_pb2
from dccsim.v1 import sub_ghz_pb2 as _sub_ghz_pb2
from dccsim.v1 import tariffs_pb2 as _tariffs_pb2
from dccsim.v1 import types_pb2 as _types_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SubmitRequest(_message.Message):
    __slots__ = ("request_id", "service_reference_variant", "command_variant", "execution_datetime", "user_role", "top_up_device", "update_security_credentials_cos", "commission_device", "read_inventory", "update_inventory", "update_firmware", "read_firmware_version", "activate_firmware", "request_wan_matrix", "signed_pre_command", "no_body", "decommission_device", "device_prenotification", "hub_installed", "hub_returned", "update_security_credentials_krp", "request_handover_of_dcc_controlled_device", "update_device_certificate", "issue_security_credentials", "retrieve_remote_party_credentials", "retrieve_device_certificate", "create_schedule", "read_schedule", "delete_schedule", "service_opt_out", "service_opt_in", "return_local_command_response", "join_device", "unjoin_device", "read_device_log", "update_han_device_log", "restore_han_device_log", "restore_gpf_device_log", "set_sub_ghz_configuration", "request_sub_ghz_channel_scan", "read_sub_ghz_configuration", "read_sub_ghz_channel", "read_sub_ghz_channel_log", "request_customer_identification_number", "record_network_data_gas", "update_meter_balance", "update_payment_mode", "update_prepay_configuration", "update_debt", "activate_emergency_credit", "read_instantaneous_prepay_values", "retrieve_billing_data_log_debt_payments", "retrieve_billing_data_log_prepayment_credits", "read_prepayment_configuration", "read_prepayment_daily_read_log", "read_meter_balance", "read_device_configuration_payment_mode", "enable_supply", "disable_supply", "arm_supply", "read_supply_status", "read_device_configuration_voltage", "read_device_configuration_randomisation", "read_device_configuration_identity", "read_device_configuration_power_thresholds", "read_device_configuration_mpxn", "read_device_configuration_gas", "read_device_configuration_alert_behaviours", "update_device_configuration_voltage", "update_device_configuration_gas_conversion", "update_device_configuration_gas_flow", "synchronise_clock", "update_device_configuration_power_threshold", "read_event_or_security_log", "set_import_mpxn", "set_export_mpan", "configure_alert_behaviour", "set_electricity_supply_tamper_state", "display_message", "restrict_access_for_change_of_tenancy", "clear_event_log", "update_supplier_name", "disable_privacy_pin", "update_alc_descriptions", "update_alc_scheduler", "update_auxiliary_controller_scheduler", "activate_auxiliary_load", "deactivate_auxiliary_load", "read_alcs_data", "reset_auxiliary_load", "add_auxiliary_load_to_boost_button", "remove_auxiliary_load_from_boost_button", "read_boost_button_details", "set_randomised_offset_limit", "set_auxiliary_controller_state", "read_auxiliary_controller_configuration", "read_auxiliary_controller_operational_data", "limit_apc_level", "read_instantaneous_import_registers", "read_instantaneous_export_registers", "retrieve_import_daily_read_log", "retrieve_export_daily_read_log", "read_active_import_profile_data", "read_reactive_import_profile_data", "read_export_profile_data", "read_network_data", "read_maximum_demand_import_registers", "read_maximum_demand_export_registers", "read_load_limit_data", "read_active_power_import", "retrieve_daily_consumption_log", "update_load_limiting_settings", "reset_load_limiting_counter", "set_maximum_demand_period", "reset_maximum_demand_registers", "reset_rms_voltage_counters", "update_import_tariff_primary", "update_import_tariff_secondary", "update_price_primary", "update_price_secondary", "reset_tariff_block_counter_matrix", "set_daily_block_counter_reset", "read_tou_matrices", "read_tou_with_blocks_matrices", "read_block_counters", "retrieve_tariff_triggered_billing_data_log", "retrieve_billing_calendar_triggered_billing_data_log", "read_tariff_primary", "read_tariff_secondary", "update_billing_calendar", "read_billing_calendar")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_REFERENCE_VARIANT_FIELD_NUMBER: _ClassVar[int]
    COMMAND_VARIANT_FIELD_NUMBER: _ClassVar[int]
    EXECUTION_DATETIME_FIELD_NUMBER: _ClassVar[int]
    USER_ROLE_FIELD_NUMBER: _ClassVar[int]
    TOP_UP_DEVICE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_SECURITY_CREDENTIALS_COS_FIELD_NUMBER: _ClassVar[int]
    COMMISSION_DEVICE_FIELD_NUMBER: _ClassVar[int]
    READ_INVENTORY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_INVENTORY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_FIRMWARE_FIELD_NUMBER: _ClassVar[int]
    READ_FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTIVATE_FIRMWARE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_WAN_MATRIX_FIELD_NUMBER: _ClassVar[int]
    SIGNED_PRE_COMMAND_FIELD_NUMBER: _ClassVar[int]
    NO_BODY_FIELD_NUMBER: _ClassVar[int]
    DECOMMISSION_DEVICE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_PRENOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    HUB_INSTALLED_FIELD_NUMBER: _ClassVar[int]
    HUB_RETURNED_FIELD_NUMBER: _ClassVar[int]
    UPDATE_SECURITY_CREDENTIALS_KRP_FIELD_NUMBER: _ClassVar[int]
    REQUEST_HANDOVER_OF_DCC_CONTROLLED_DEVICE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_DEVICE_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    ISSUE_SECURITY_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_REMOTE_PARTY_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_DEVICE_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    CREATE_SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    READ_SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    DELETE_SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_OPT_OUT_FIELD_NUMBER: _ClassVar[int]
    SERVICE_OPT_IN_FIELD_NUMBER: _ClassVar[int]
    RETURN_LOCAL_COMMAND_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    JOIN_DEVICE_FIELD_NUMBER: _ClassVar[int]
    UNJOIN_DEVICE_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_LOG_FIELD_NUMBER: _ClassVar[int]
    UPDATE_HAN_DEVICE_LOG_FIELD_NUMBER: _ClassVar[int]
    RESTORE_HAN_DEVICE_LOG_FIELD_NUMBER: _ClassVar[int]
    RESTORE_GPF_DEVICE_LOG_FIELD_NUMBER: _ClassVar[int]
    SET_SUB_GHZ_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_SUB_GHZ_CHANNEL_SCAN_FIELD_NUMBER: _ClassVar[int]
    READ_SUB_GHZ_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    READ_SUB_GHZ_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    READ_SUB_GHZ_CHANNEL_LOG_FIELD_NUMBER: _ClassVar[int]
    REQUEST_CUSTOMER_IDENTIFICATION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    RECORD_NETWORK_DATA_GAS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_METER_BALANCE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_PAYMENT_MODE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_PREPAY_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_DEBT_FIELD_NUMBER: _ClassVar[int]
    ACTIVATE_EMERGENCY_CREDIT_FIELD_NUMBER: _ClassVar[int]
    READ_INSTANTANEOUS_PREPAY_VALUES_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_BILLING_DATA_LOG_DEBT_PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_BILLING_DATA_LOG_PREPAYMENT_CREDITS_FIELD_NUMBER: _ClassVar[int]
    READ_PREPAYMENT_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    READ_PREPAYMENT_DAILY_READ_LOG_FIELD_NUMBER: _ClassVar[int]
    READ_METER_BALANCE_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_CONFIGURATION_PAYMENT_MODE_FIELD_NUMBER: _ClassVar[int]
    ENABLE_SUPPLY_FIELD_NUMBER: _ClassVar[int]
    DISABLE_SUPPLY_FIELD_NUMBER: _ClassVar[int]
    ARM_SUPPLY_FIELD_NUMBER: _ClassVar[int]
    READ_SUPPLY_STATUS_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_CONFIGURATION_VOLTAGE_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_CONFIGURATION_RANDOMISATION_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_CONFIGURATION_IDENTITY_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_CONFIGURATION_POWER_THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_CONFIGURATION_MPXN_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_CONFIGURATION_GAS_FIELD_NUMBER: _ClassVar[int]
    READ_DEVICE_CONFIGURATION_ALERT_BEHAVIOURS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_DEVICE_CONFIGURATION_VOLTAGE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_DEVICE_CONFIGURATION_GAS_CONVERSION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_DEVICE_CONFIGURATION_GAS_FLOW_FIELD_NUMBER: _ClassVar[int]
    SYNCHRONISE_CLOCK_FIELD_NUMBER: _ClassVar[int]
    UPDATE_DEVICE_CONFIGURATION_POWER_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    READ_EVENT_OR_SECURITY_LOG_FIELD_NUMBER: _ClassVar[int]
    SET_IMPORT_MPXN_FIELD_NUMBER: _ClassVar[int]
    SET_EXPORT_MPAN_FIELD_NUMBER: _ClassVar[int]
    CONFIGURE_ALERT_BEHAVIOUR_FIELD_NUMBER: _ClassVar[int]
    SET_ELECTRICITY_SUPPLY_TAMPER_STATE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RESTRICT_ACCESS_FOR_CHANGE_OF_TENANCY_FIELD_NUMBER: _ClassVar[int]
    CLEAR_EVENT_LOG_FIELD_NUMBER: _ClassVar[int]
    UPDATE_SUPPLIER_NAME_FIELD_NUMBER: _ClassVar[int]
    DISABLE_PRIVACY_PIN_FIELD_NUMBER: _ClassVar[int]
    UPDATE_ALC_DESCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_ALC_SCHEDULER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_AUXILIARY_CONTROLLER_SCHEDULER_FIELD_NUMBER: _ClassVar[int]
    ACTIVATE_AUXILIARY_LOAD_FIELD_NUMBER: _ClassVar[int]
    DEACTIVATE_AUXILIARY_LOAD_FIELD_NUMBER: _ClassVar[int]
    READ_ALCS_DATA_FIELD_NUMBER: _ClassVar[int]
    RESET_AUXILIARY_LOAD_FIELD_NUMBER: _ClassVar[int]
    ADD_AUXILIARY_LOAD_TO_BOOST_BUTTON_FIELD_NUMBER: _ClassVar[int]
    REMOVE_AUXILIARY_LOAD_FROM_BOOST_BUTTON_FIELD_NUMBER: _ClassVar[int]
    READ_BOOST_BUTTON_DETAILS_FIELD_NUMBER: _ClassVar[int]
    SET_RANDOMISED_OFFSET_LIMIT_FIELD_NUMBER: _ClassVar[int]
    SET_AUXILIARY_CONTROLLER_STATE_FIELD_NUMBER: _ClassVar[int]
    READ_AUXILIARY_CONTROLLER_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    READ_AUXILIARY_CONTROLLER_OPERATIONAL_DATA_FIELD_NUMBER: _ClassVar[int]
    LIMIT_APC_LEVEL_FIELD_NUMBER: _ClassVar[int]
    READ_INSTANTANEOUS_IMPORT_REGISTERS_FIELD_NUMBER: _ClassVar[int]
    READ_INSTANTANEOUS_EXPORT_REGISTERS_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_IMPORT_DAILY_READ_LOG_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_EXPORT_DAILY_READ_LOG_FIELD_NUMBER: _ClassVar[int]
    READ_ACTIVE_IMPORT_PROFILE_DATA_FIELD_NUMBER: _ClassVar[int]
    READ_REACTIVE_IMPORT_PROFILE_DATA_FIELD_NUMBER: _ClassVar[int]
    READ_EXPORT_PROFILE_DATA_FIELD_NUMBER: _ClassVar[int]
    READ_NETWORK_DATA_FIELD_NUMBER: _ClassVar[int]
    READ_MAXIMUM_DEMAND_IMPORT_REGISTERS_FIELD_NUMBER: _ClassVar[int]
    READ_MAXIMUM_DEMAND_EXPORT_REGISTERS_FIELD_NUMBER: _ClassVar[int]
    READ_LOAD_LIMIT_DATA_FIELD_NUMBER: _ClassVar[int]
    READ_ACTIVE_POWER_IMPORT_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_DAILY_CONSUMPTION_LOG_FIELD_NUMBER: _ClassVar[int]
    UPDATE_LOAD_LIMITING_SETTINGS_FIELD_NUMBER: _ClassVar[int]
    RESET_LOAD_LIMITING_COUNTER_FIELD_NUMBER: _ClassVar[int]
    SET_MAXIMUM_DEMAND_PERIOD_FIELD_NUMBER: _ClassVar[int]
    RESET_MAXIMUM_DEMAND_REGISTERS_FIELD_NUMBER: _ClassVar[int]
    RESET_RMS_VOLTAGE_COUNTERS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_IMPORT_TARIFF_PRIMARY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_IMPORT_TARIFF_SECONDARY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_PRICE_PRIMARY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_PRICE_SECONDARY_FIELD_NUMBER: _ClassVar[int]
    RESET_TARIFF_BLOCK_COUNTER_MATRIX_FIELD_NUMBER: _ClassVar[int]
    SET_DAILY_BLOCK_COUNTER_RESET_FIELD_NUMBER: _ClassVar[int]
    READ_TOU_MATRICES_FIELD_NUMBER: _ClassVar[int]
    READ_TOU_WITH_BLOCKS_MATRICES_FIELD_NUMBER: _ClassVar[int]
    READ_BLOCK_COUNTERS_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_TARIFF_TRIGGERED_BILLING_DATA_LOG_FIELD_NUMBER: _ClassVar[int]
    RETRIEVE_BILLING_CALENDAR_TRIGGERED_BILLING_DATA_LOG_FIELD_NUMBER: _ClassVar[int]
    READ_TARIFF_PRIMARY_FIELD_NUMBER: _ClassVar[int]
    READ_TARIFF_SECONDARY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_BILLING_CALENDAR_FIELD_NUMBER: _ClassVar[int]
    READ_BILLING_CALENDAR_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    service_reference_variant: str
    command_variant: int
    execution_datetime: _timestamp_pb2.Timestamp
    user_role: _types_pb2.UserRole
    top_up_device: TopUpDevice
    update_security_credentials_cos: UpdateSecurityCredentialsCoS
    commission_device: CommissionDevice
    read_inventory: ReadInventory
    update_inventory: UpdateInventory
    update_firmware: UpdateFirmware
    read_firmware_version: ReadFirmwareVersion
    activate_firmware: ActivateFirmware
    request_wan_matrix: RequestWanMatrix
    signed_pre_command: SignedPreCommand
    no_body: NoBody
    decommission_device: DecommissionDevice
    device_prenotification: DevicePrenotification
    hub_installed: HubInstalled
    hub_returned: HubReturned
    update_security_credentials_krp: _credentials_pb2.ReplaceCredentials
    request_handover_of_dcc_controlled_device: _credentials_pb2.ReplaceCredentials
    update_device_certificate: _credentials_pb2.UpdateDeviceCertificate
    issue_security_credentials: _credentials_pb2.IssueSecurityCredentials
    retrieve_remote_party_credentials: _credentials_pb2.RetrieveRemotePartyCredentials
    retrieve_device_certificate: _credentials_pb2.RetrieveDeviceCertificate
    create_schedule: _schedules_pb2.CreateSchedule
    read_schedule: _schedules_pb2.ReadSchedule
    delete_schedule: _schedules_pb2.DeleteSchedule
    service_opt_out: _service_opt_pb2.ServiceOptOut
    service_opt_in: _service_opt_pb2.ServiceOptIn
    return_local_command_response: _local_command_pb2.ReturnLocalCommandResponse
    join_device: _han_pb2.JoinDevice
    unjoin_device: _han_pb2.UnjoinDevice
    read_device_log: _han_pb2.ReadDeviceLog
    update_han_device_log: _han_pb2.UpdateHanDeviceLog
    restore_han_device_log: _han_pb2.RestoreHanDeviceLog
    restore_gpf_device_log: _han_pb2.RestoreGpfDeviceLog
    set_sub_ghz_configuration: _sub_ghz_pb2.SubGhzSettings
    request_sub_ghz_channel_scan: _sub_ghz_pb2.RequestSubGhzChannelScan
    read_sub_ghz_configuration: _sub_ghz_pb2.ReadSubGhzConfiguration
    read_sub_ghz_channel: _sub_ghz_pb2.ReadSubGhzChannel
    read_sub_ghz_channel_log: _sub_ghz_pb2.ReadSubGhzChannelLog
    request_customer_identification_number: _customer_and_network_pb2.RequestCustomerIdentificationNumber
    record_network_data_gas: _customer_and_network_pb2.RecordNetworkDataGas
    update_meter_balance: _prepayment_pb2.UpdateMeterBalance
    update_payment_mode: _prepayment_pb2.UpdatePaymentMode
    update_prepay_configuration: _prepayment_pb2.UpdatePrepayConfiguration
    update_debt: _prepayment_pb2.UpdateDebt
    activate_emergency_credit: _prepayment_pb2.ActivateEmergencyCredit
    read_instantaneous_prepay_values: _prepayment_pb2.ReadInstantaneousPrepayValues
    retrieve_billing_data_log_debt_payments: _prepayment_pb2.ReadPrepaymentBillingLog
    retrieve_billing_data_log_prepayment_credits: _prepayment_pb2.ReadPrepaymentBillingLog
    read_prepayment_configuration: _prepayment_pb2.ReadPrepaymentConfiguration
    read_prepayment_daily_read_log: _prepayment_pb2.ReadPrepaymentDailyReadLog
    read_meter_balance: _prepayment_pb2.ReadMeterBalance
    read_device_configuration_payment_mode: _prepayment_pb2.ReadPaymentMode
    enable_supply: _prepayment_pb2.EnableSupply
    disable_supply: _prepayment_pb2.DisableSupply
    arm_supply: _prepayment_pb2.ArmSupply
    read_supply_status: _prepayment_pb2.ReadSupplyStatus
    read_device_configuration_voltage: _configuration_pb2.CfgReadVoltage
    read_device_configuration_randomisation: _configuration_pb2.CfgReadRandomisation
    read_device_configuration_identity: _configuration_pb2.CfgReadIdentity
    read_device_configuration_power_thresholds: _configuration_pb2.CfgReadPowerThresholds
    read_device_configuration_mpxn: _configuration_pb2.CfgReadMpxn
    read_device_configuration_gas: _configuration_pb2.CfgReadGasConfiguration
    read_device_configuration_alert_behaviours: _configuration_pb2.CfgReadAlertBehaviours
    update_device_configuration_voltage: _configuration_pb2.CfgUpdateVoltage
    update_device_configuration_gas_conversion: _configuration_pb2.CfgUpdateGasConversion
    update_device_configuration_gas_flow: _configuration_pb2.CfgUpdateGasFlow
    synchronise_clock: _configuration_pb2.CfgSynchroniseClock
    update_device_configuration_power_threshold: _configuration_pb2.CfgUpdatePowerThreshold
    read_event_or_security_log: _configuration_pb2.CfgReadEventOrSecurityLog
    set_import_mpxn: _configuration_pb2.CfgSetImportMpxn
    set_export_mpan: _configuration_pb2.CfgSetExportMpan
    configure_alert_behaviour: _configuration_pb2.CfgConfigureAlertBehaviour
    set_electricity_supply_tamper_state: _configuration_pb2.CfgSetSupplyTamperState
    display_message: _display_pb2.DisplayMessage
    restrict_access_for_change_of_tenancy: _display_pb2.RestrictAccessForChangeOfTenancy
    clear_event_log: _display_pb2.ClearEventLog
    update_supplier_name: _display_pb2.UpdateSupplierName
    disable_privacy_pin: _display_pb2.DisablePrivacyPin
    update_alc_descriptions: _auxiliary_loads_pb2.AuxSetDescriptions
    update_alc_scheduler: _auxiliary_loads_pb2.AuxSwitchCalendar
    update_auxiliary_controller_scheduler: _auxiliary_loads_pb2.AuxControllerCalendar
    activate_auxiliary_load: _auxiliary_loads_pb2.AuxSwitchLoad
    deactivate_auxiliary_load: _auxiliary_loads_pb2.AuxSwitchLoad
    read_alcs_data: _auxiliary_loads_pb2.AuxReadSwitchData
    reset_auxiliary_load: _auxiliary_loads_pb2.AuxResetLoad
    add_auxiliary_load_to_boost_button: _auxiliary_loads_pb2.AuxBoostButtonChange
    remove_auxiliary_load_from_boost_button: _auxiliary_loads_pb2.AuxBoostButtonChange
    read_boost_button_details: _auxiliary_loads_pb2.AuxReadBoostButtonDetails
    set_randomised_offset_limit: _auxiliary_loads_pb2.AuxSetRandomisedOffsetLimit
    set_auxiliary_controller_state: _auxiliary_loads_pb2.AuxControllerLevel
    read_auxiliary_controller_configuration: _auxiliary_loads_pb2.AuxReadControllerConfiguration
    read_auxiliary_controller_operational_data: _auxiliary_loads_pb2.AuxReadControllerOperationalData
    limit_apc_level: _auxiliary_loads_pb2.AuxControllerLevel
    read_instantaneous_import_registers: _reads_pb2.ReadInstantaneousImportRegisters
    read_instantaneous_export_registers: _reads_pb2.ReadInstantaneousExportRegisters
    retrieve_import_daily_read_log: _reads_pb2.MeterReadPeriod
    retrieve_export_daily_read_log: _reads_pb2.MeterReadPeriod
    read_active_import_profile_data: _reads_pb2.MeterReadPeriod
    read_reactive_import_profile_data: _reads_pb2.MeterReadPeriod
    read_export_profile_data: _reads_pb2.MeterReadPeriod
    read_network_data: _reads_pb2.MeterReadPeriod
    read_maximum_demand_import_registers: _reads_pb2.ReadMaximumDemandImportRegisters
    read_maximum_demand_export_registers: _reads_pb2.ReadMaximumDemandExportRegisters
    read_load_limit_data: _reads_pb2.ReadLoadLimitData
    read_active_power_import: _reads_pb2.ReadActivePowerImport
    retrieve_daily_consumption_log: _reads_pb2.MeterReadPeriod
    update_load_limiting_settings: _reads_pb2.UpdateLoadLimitingSettings
    reset_load_limiting_counter: _reads_pb2.ResetLoadLimitingCounter
    set_maximum_demand_period: _reads_pb2.SetMaximumDemandPeriod
    reset_maximum_demand_registers: _reads_pb2.ResetMaximumDemandRegisters
    reset_rms_voltage_counters: _reads_pb2.ResetRmsVoltageCounters
    update_import_tariff_primary: _tariffs_pb2.TariffPrimary
    update_import_tariff_secondary: _tariffs_pb2.TariffSecondary
    update_price_primary: _tariffs_pb2.TariffPrimaryPrices
    update_price_secondary: _tariffs_pb2.TariffSecondaryPrices
    reset_tariff_block_counter_matrix: _tariffs_pb2.TariffResetBlockCounterMatrix
    set_daily_block_counter_reset: _tariffs_pb2.TariffSetDailyBlockCounterReset
    read_tou_matrices: _tariffs_pb2.TariffReadTouMatrices
    read_tou_with_blocks_matrices: _tariffs_pb2.TariffReadTouWithBlocksMatrices
    read_block_counters: _tariffs_pb2.TariffReadBlockCounters
    retrieve_tariff_triggered_billing_data_log: _tariffs_pb2.TariffReadBillingDataLog
    retrieve_billing_calendar_triggered_billing_data_log: _tariffs_pb2.TariffReadBillingDataLog
    read_tariff_primary: _tariffs_pb2.TariffReadPrimary
    read_tariff_secondary: _tariffs_pb2.TariffReadSecondary
    update_billing_calendar: _tariffs_pb2.TariffBillingCalendar
    read_billing_calendar: _tariffs_pb2.TariffReadBillingCalendar
    def __init__(self, request_id: _Optional[str] = ..., service_reference_variant: _Optional[str] = ..., command_variant: _Optional[int] = ..., execution_datetime: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., user_role: _Optional[_Union[_types_pb2.UserRole, str]] = ..., top_up_device: _Optional[_Union[TopUpDevice, _Mapping]] = ..., update_security_credentials_cos: _Optional[_Union[UpdateSecurityCredentialsCoS, _Mapping]] = ..., commission_device: _Optional[_Union[CommissionDevice, _Mapping]] = ..., read_inventory: _Optional[_Union[ReadInventory, _Mapping]] = ..., update_inventory: _Optional[_Union[UpdateInventory, _Mapping]] = ..., update_firmware: _Optional[_Union[UpdateFirmware, _Mapping]] = ..., read_firmware_version: _Optional[_Union[ReadFirmwareVersion, _Mapping]] = ..., activate_firmware: _Optional[_Union[ActivateFirmware, _Mapping]] = ..., request_wan_matrix: _Optional[_Union[RequestWanMatrix, _Mapping]] = ..., signed_pre_command: _Optional[_Union[SignedPreCommand, _Mapping]] = ..., no_body: _Optional[_Union[NoBody, _Mapping]] = ..., decommission_device: _Optional[_Union[DecommissionDevice, _Mapping]] = ..., device_prenotification: _Optional[_Union[DevicePrenotification, _Mapping]] = ..., hub_installed: _Optional[_Union[HubInstalled, _Mapping]] = ..., hub_returned: _Optional[_Union[HubReturned, _Mapping]] = ..., update_security_credentials_krp: _Optional[_Union[_credentials_pb2.ReplaceCredentials, _Mapping]] = ..., request_handover_of_dcc_controlled_device: _Optional[_Union[_credentials_pb2.ReplaceCredentials, _Mapping]] = ..., update_device_certificate: _Optional[_Union[_credentials_pb2.UpdateDeviceCertificate, _Mapping]] = ..., issue_security_credentials: _Optional[_Union[_credentials_pb2.IssueSecurityCredentials, _Mapping]] = ..., retrieve_remote_party_credentials: _Optional[_Union[_credentials_pb2.RetrieveRemotePartyCredentials, _Mapping]] = ..., retrieve_device_certificate: _Optional[_Union[_credentials_pb2.RetrieveDeviceCertificate, _Mapping]] = ..., create_schedule: _Optional[_Union[_schedules_pb2.CreateSchedule, _Mapping]] = ..., read_schedule: _Optional[_Union[_schedules_pb2.ReadSchedule, _Mapping]] = ..., delete_schedule: _Optional[_Union[_schedules_pb2.DeleteSchedule, _Mapping]] = ..., service_opt_out: _Optional[_Union[_service_opt_pb2.ServiceOptOut, _Mapping]] = ..., service_opt_in: _Optional[_Union[_service_opt_pb2.ServiceOptIn, _Mapping]] = ..., return_local_command_response: _Optional[_Union[_local_command_pb2.ReturnLocalCommandResponse, _Mapping]] = ..., join_device: _Optional[_Union[_han_pb2.JoinDevice, _Mapping]] = ..., unjoin_device: _Optional[_Union[_han_pb2.UnjoinDevice, _Mapping]] = ..., read_device_log: _Optional[_Union[_han_pb2.ReadDeviceLog, _Mapping]] = ..., update_han_device_log: _Optional[_Union[_han_pb2.UpdateHanDeviceLog, _Mapping]] = ..., restore_han_device_log: _Optional[_Union[_han_pb2.RestoreHanDeviceLog, _Mapping]] = ..., restore_gpf_device_log: _Optional[_Union[_han_pb2.RestoreGpfDeviceLog, _Mapping]] = ..., set_sub_ghz_configuration: _Optional[_Union[_sub_ghz_pb2.SubGhzSettings, _Mapping]] = ..., request_sub_ghz_channel_scan: _Optional[_Union[_sub_ghz_pb2.RequestSubGhzChannelScan, _Mapping]] = ..., read_sub_ghz_configuration: _Optional[_Union[_sub_ghz_pb2.ReadSubGhzConfiguration, _Mapping]] = ..., read_sub_ghz_channel: _Optional[_Union[_sub_ghz_pb2.ReadSubGhzChannel, _Mapping]] = ..., read_sub_ghz_channel_log: _Optional[_Union[_sub_ghz_pb2.ReadSubGhzChannelLog, _Mapping]] = ..., request_customer_identification_number: _Optional[_Union[_customer_and_network_pb2.RequestCustomerIdentificationNumber, _Mapping]] = ..., record_network_data_gas: _Optional[_Union[_customer_and_network_pb2.RecordNetworkDataGas, _Mapping]] = ..., update_meter_balance: _Optional[_Union[_prepayment_pb2.UpdateMeterBalance, _Mapping]] = ..., update_payment_mode: _Optional[_Union[_prepayment_pb2.UpdatePaymentMode, _Mapping]] = ..., update_prepay_configuration: _Optional[_Union[_prepayment_pb2.UpdatePrepayConfiguration, _Mapping]] = ..., update_debt: _Optional[_Union[_prepayment_pb2.UpdateDebt, _Mapping]] = ..., activate_emergency_credit: _Optional[_Union[_prepayment_pb2.ActivateEmergencyCredit, _Mapping]] = ..., read_instantaneous_prepay_values: _Optional[_Union[_prepayment_pb2.ReadInstantaneousPrepayValues, _Mapping]] = ..., retrieve_billing_data_log_debt_payments: _Optional[_Union[_prepayment_pb2.ReadPrepaymentBillingLog, _Mapping]] = ..., retrieve_billing_data_log_prepayment_credits: _Optional[_Union[_prepayment_pb2.ReadPrepaymentBillingLog, _Mapping]] = ..., read_prepayment_configuration: _Optional[_Union[_prepayment_pb2.ReadPrepaymentConfiguration, _Mapping]] = ..., read_prepayment_daily_read_log: _Optional[_Union[_prepayment_pb2.ReadPrepaymentDailyReadLog, _Mapping]] = ..., read_meter_balance: _Optional[_Union[_prepayment_pb2.ReadMeterBalance, _Mapping]] = ..., read_device_configuration_payment_mode: _Optional[_Union[_prepayment_pb2.ReadPaymentMode, _Mapping]] = ..., enable_supply: _Optional[_Union[_prepayment_pb2.EnableSupply, _Mapping]] = ..., disable_supply: _Optional[_Union[_prepayment_pb2.DisableSupply, _Mapping]] = ..., arm_supply: _Optional[_Union[_prepayment_pb2.ArmSupply, _Mapping]] = ..., read_supply_status: _Optional[_Union[_prepayment_pb2.ReadSupplyStatus, _Mapping]] = ..., read_device_configuration_voltage: _Optional[_Union[_configuration_pb2.CfgReadVoltage, _Mapping]] = ..., read_device_configuration_randomisation: _Optional[_Union[_configuration_pb2.CfgReadRandomisation, _Mapping]] = ..., read_device_configuration_identity: _Optional[_Union[_configuration_pb2.CfgReadIdentity, _Mapping]] = ..., read_device_configuration_power_thresholds: _Optional[_Union[_configuration_pb2.CfgReadPowerThresholds, _Mapping]] = ..., read_device_configuration_mpxn: _Optional[_Union[_configuration_pb2.CfgReadMpxn, _Mapping]] = ..., read_device_configuration_gas: _Optional[_Union[_configuration_pb2.CfgReadGasConfiguration, _Mapping]] = ..., read_device_configuration_alert_behaviours: _Optional[_Union[_configuration_pb2.CfgReadAlertBehaviours, _Mapping]] = ..., update_device_configuration_voltage: _Optional[_Union[_configuration_pb2.CfgUpdateVoltage, _Mapping]] = ..., update_device_configuration_gas_conversion: _Optional[_Union[_configuration_pb2.CfgUpdateGasConversion, _Mapping]] = ..., update_device_configuration_gas_flow: _Optional[_Union[_configuration_pb2.CfgUpdateGasFlow, _Mapping]] = ..., synchronise_clock: _Optional[_Union[_configuration_pb2.CfgSynchroniseClock, _Mapping]] = ..., update_device_configuration_power_threshold: _Optional[_Union[_configuration_pb2.CfgUpdatePowerThreshold, _Mapping]] = ..., read_event_or_security_log: _Optional[_Union[_configuration_pb2.CfgReadEventOrSecurityLog, _Mapping]] = ..., set_import_mpxn: _Optional[_Union[_configuration_pb2.CfgSetImportMpxn, _Mapping]] = ..., set_export_mpan: _Optional[_Union[_configuration_pb2.CfgSetExportMpan, _Mapping]] = ..., configure_alert_behaviour: _Optional[_Union[_configuration_pb2.CfgConfigureAlertBehaviour, _Mapping]] = ..., set_electricity_supply_tamper_state: _Optional[_Union[_configuration_pb2.CfgSetSupplyTamperState, _Mapping]] = ..., display_message: _Optional[_Union[_display_pb2.DisplayMessage, _Mapping]] = ..., restrict_access_for_change_of_tenancy: _Optional[_Union[_display_pb2.RestrictAccessForChangeOfTenancy, _Mapping]] = ..., clear_event_log: _Optional[_Union[_display_pb2.ClearEventLog, _Mapping]] = ..., update_supplier_name: _Optional[_Union[_display_pb2.UpdateSupplierName, _Mapping]] = ..., disable_privacy_pin: _Optional[_Union[_display_pb2.DisablePrivacyPin, _Mapping]] = ..., update_alc_descriptions: _Optional[_Union[_auxiliary_loads_pb2.AuxSetDescriptions, _Mapping]] = ..., update_alc_scheduler: _Optional[_Union[_auxiliary_loads_pb2.AuxSwitchCalendar, _Mapping]] = ..., update_auxiliary_controller_scheduler: _Optional[_Union[_auxiliary_loads_pb2.AuxControllerCalendar, _Mapping]] = ..., activate_auxiliary_load: _Optional[_Union[_auxiliary_loads_pb2.AuxSwitchLoad, _Mapping]] = ..., deactivate_auxiliary_load: _Optional[_Union[_auxiliary_loads_pb2.AuxSwitchLoad, _Mapping]] = ..., read_alcs_data: _Optional[_Union[_auxiliary_loads_pb2.AuxReadSwitchData, _Mapping]] = ..., reset_auxiliary_load: _Optional[_Union[_auxiliary_loads_pb2.AuxResetLoad, _Mapping]] = ..., add_auxiliary_load_to_boost_button: _Optional[_Union[_auxiliary_loads_pb2.AuxBoostButtonChange, _Mapping]] = ..., remove_auxiliary_load_from_boost_button: _Optional[_Union[_auxiliary_loads_pb2.AuxBoostButtonChange, _Mapping]] = ..., read_boost_button_details: _Optional[_Union[_auxiliary_loads_pb2.AuxReadBoostButtonDetails, _Mapping]] = ..., set_randomised_offset_limit: _Optional[_Union[_auxiliary_loads_pb2.AuxSetRandomisedOffsetLimit, _Mapping]] = ..., set_auxiliary_controller_state: _Optional[_Union[_auxiliary_loads_pb2.AuxControllerLevel, _Mapping]] = ..., read_auxiliary_controller_configuration: _Optional[_Union[_auxiliary_loads_pb2.AuxReadControllerConfiguration, _Mapping]] = ..., read_auxiliary_controller_operational_data: _Optional[_Union[_auxiliary_loads_pb2.AuxReadControllerOperationalData, _Mapping]] = ..., limit_apc_level: _Optional[_Union[_auxiliary_loads_pb2.AuxControllerLevel, _Mapping]] = ..., read_instantaneous_import_registers: _Optional[_Union[_reads_pb2.ReadInstantaneousImportRegisters, _Mapping]] = ..., read_instantaneous_export_registers: _Optional[_Union[_reads_pb2.ReadInstantaneousExportRegisters, _Mapping]] = ..., retrieve_import_daily_read_log: _Optional[_Union[_reads_pb2.MeterReadPeriod, _Mapping]] = ..., retrieve_export_daily_read_log: _Optional[_Union[_reads_pb2.MeterReadPeriod, _Mapping]] = ..., read_active_import_profile_data: _Optional[_Union[_reads_pb2.MeterReadPeriod, _Mapping]] = ..., read_reactive_import_profile_data: _Optional[_Union[_reads_pb2.MeterReadPeriod, _Mapping]] = ..., read_export_profile_data: _Optional[_Union[_reads_pb2.MeterReadPeriod, _Mapping]] = ..., read_network_data: _Optional[_Union[_reads_pb2.MeterReadPeriod, _Mapping]] = ..., read_maximum_demand_import_registers: _Optional[_Union[_reads_pb2.ReadMaximumDemandImportRegisters, _Mapping]] = ..., read_maximum_demand_export_registers: _Optional[_Union[_reads_pb2.ReadMaximumDemandExportRegisters, _Mapping]] = ..., read_load_limit_data: _Optional[_Union[_reads_pb2.ReadLoadLimitData, _Mapping]] = ..., read_active_power_import: _Optional[_Union[_reads_pb2.ReadActivePowerImport, _Mapping]] = ..., retrieve_daily_consumption_log: _Optional[_Union[_reads_pb2.MeterReadPeriod, _Mapping]] = ..., update_load_limiting_settings: _Optional[_Union[_reads_pb2.UpdateLoadLimitingSettings, _Mapping]] = ..., reset_load_limiting_counter: _Optional[_Union[_reads_pb2.ResetLoadLimitingCounter, _Mapping]] = ..., set_maximum_demand_period: _Optional[_Union[_reads_pb2.SetMaximumDemandPeriod, _Mapping]] = ..., reset_maximum_demand_registers: _Optional[_Union[_reads_pb2.ResetMaximumDemandRegisters, _Mapping]] = ..., reset_rms_voltage_counters: _Optional[_Union[_reads_pb2.ResetRmsVoltageCounters, _Mapping]] = ..., update_import_tariff_primary: _Optional[_Union[_tariffs_pb2.TariffPrimary, _Mapping]] = ..., update_import_tariff_secondary: _Optional[_Union[_tariffs_pb2.TariffSecondary, _Mapping]] = ..., update_price_primary: _Optional[_Union[_tariffs_pb2.TariffPrimaryPrices, _Mapping]] = ..., update_price_secondary: _Optional[_Union[_tariffs_pb2.TariffSecondaryPrices, _Mapping]] = ..., reset_tariff_block_counter_matrix: _Optional[_Union[_tariffs_pb2.TariffResetBlockCounterMatrix, _Mapping]] = ..., set_daily_block_counter_reset: _Optional[_Union[_tariffs_pb2.TariffSetDailyBlockCounterReset, _Mapping]] = ..., read_tou_matrices: _Optional[_Union[_tariffs_pb2.TariffReadTouMatrices, _Mapping]] = ..., read_tou_with_blocks_matrices: _Optional[_Union[_tariffs_pb2.TariffReadTouWithBlocksMatrices, _Mapping]] = ..., read_block_counters: _Optional[_Union[_tariffs_pb2.TariffReadBlockCounters, _Mapping]] = ..., retrieve_tariff_triggered_billing_data_log: _Optional[_Union[_tariffs_pb2.TariffReadBillingDataLog, _Mapping]] = ..., retrieve_billing_calendar_triggered_billing_data_log: _Optional[_Union[_tariffs_pb2.TariffReadBillingDataLog, _Mapping]] = ..., read_tariff_primary: _Optional[_Union[_tariffs_pb2.TariffReadPrimary, _Mapping]] = ..., read_tariff_secondary: _Optional[_Union[_tariffs_pb2.TariffReadSecondary, _Mapping]] = ..., update_billing_calendar: _Optional[_Union[_tariffs_pb2.TariffBillingCalendar, _Mapping]] = ..., read_billing_calendar: _Optional[_Union[_tariffs_pb2.TariffReadBillingCalendar, _Mapping]] = ...) -> None: ...

class TopUpDevice(_message.Message):
    __slots__ = ("utrn",)
    UTRN_FIELD_NUMBER: _ClassVar[int]
    utrn: str
    def __init__(self, utrn: _Optional[str] = ...) -> None: ...

class UpdateSecurityCredentialsCoS(_message.Message):
    __slots__ = ("import_mpxn",)
    IMPORT_MPXN_FIELD_NUMBER: _ClassVar[int]
    import_mpxn: str
    def __init__(self, import_mpxn: _Optional[str] = ...) -> None: ...

class CommissionDevice(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadInventory(_message.Message):
    __slots__ = ("device_id", "mpxn", "uprn")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    MPXN_FIELD_NUMBER: _ClassVar[int]
    UPRN_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    mpxn: str
    uprn: int
    def __init__(self, device_id: _Optional[str] = ..., mpxn: _Optional[str] = ..., uprn: _Optional[int] = ...) -> None: ...

class DeviceDetails(_message.Message):
    __slots__ = ("manufacturer", "model", "smets", "firmware_version", "esme_variant")
    MANUFACTURER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    SMETS_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    ESME_VARIANT_FIELD_NUMBER: _ClassVar[int]
    manufacturer: str
    model: str
    smets: _types_pb2.SmetsVersion
    firmware_version: str
    esme_variant: str
    def __init__(self, manufacturer: _Optional[str] = ..., model: _Optional[str] = ..., smets: _Optional[_Union[_types_pb2.SmetsVersion, str]] = ..., firmware_version: _Optional[str] = ..., esme_variant: _Optional[str] = ...) -> None: ...

class UpdateInventory(_message.Message):
    __slots__ = ("device_id", "new_status", "device_details", "delete_device", "import_mpxn")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_STATUS_FIELD_NUMBER: _ClassVar[int]
    DEVICE_DETAILS_FIELD_NUMBER: _ClassVar[int]
    DELETE_DEVICE_FIELD_NUMBER: _ClassVar[int]
    IMPORT_MPXN_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    new_status: _types_pb2.SmiStatus
    device_details: DeviceDetails
    delete_device: bool
    import_mpxn: str
    def __init__(self, device_id: _Optional[str] = ..., new_status: _Optional[_Union[_types_pb2.SmiStatus, str]] = ..., device_details: _Optional[_Union[DeviceDetails, _Mapping]] = ..., delete_device: _Optional[bool] = ..., import_mpxn: _Optional[str] = ...) -> None: ...

class UpdateFirmware(_message.Message):
    __slots__ = ("image", "firmware_version", "device_ids")
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    DEVICE_IDS_FIELD_NUMBER: _ClassVar[int]
    image: bytes
    firmware_version: str
    device_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, image: _Optional[bytes] = ..., firmware_version: _Optional[str] = ..., device_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ReadFirmwareVersion(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ActivateFirmware(_message.Message):
    __slots__ = ("firmware_hash",)
    FIRMWARE_HASH_FIELD_NUMBER: _ClassVar[int]
    firmware_hash: bytes
    def __init__(self, firmware_hash: _Optional[bytes] = ...) -> None: ...

class RequestWanMatrix(_message.Message):
    __slots__ = ("uprn", "postcode", "address_identifier")
    UPRN_FIELD_NUMBER: _ClassVar[int]
    POSTCODE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    uprn: int
    postcode: str
    address_identifier: str
    def __init__(self, uprn: _Optional[int] = ..., postcode: _Optional[str] = ..., address_identifier: _Optional[str] = ...) -> None: ...

class SignedPreCommand(_message.Message):
    __slots__ = ("payload",)
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    payload: bytes
    def __init__(self, payload: _Optional[bytes] = ...) -> None: ...

class DecommissionDevice(_message.Message):
    __slots__ = ("device_id",)
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    def __init__(self, device_id: _Optional[str] = ...) -> None: ...

class DevicePrenotification(_message.Message):
    __slots__ = ("device_id", "manufacturer", "model", "device_type", "smets", "firmware_version", "esme_variant")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    MANUFACTURER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SMETS_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    ESME_VARIANT_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    manufacturer: str
    model: str
    device_type: _types_pb2.DeviceType
    smets: _types_pb2.SmetsVersion
    firmware_version: str
    esme_variant: str
    def __init__(self, device_id: _Optional[str] = ..., manufacturer: _Optional[str] = ..., model: _Optional[str] = ..., device_type: _Optional[_Union[_types_pb2.DeviceType, str]] = ..., smets: _Optional[_Union[_types_pb2.SmetsVersion, str]] = ..., firmware_version: _Optional[str] = ..., esme_variant: _Optional[str] = ...) -> None: ...

class HubInstalled(_message.Message):
    __slots__ = ("device_id", "install_type", "mpxn", "location")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    INSTALL_TYPE_FIELD_NUMBER: _ClassVar[int]
    MPXN_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    install_type: str
    mpxn: str
    location: str
    def __init__(self, device_id: _Optional[str] = ..., install_type: _Optional[str] = ..., mpxn: _Optional[str] = ..., location: _Optional[str] = ...) -> None: ...

class HubReturned(_message.Message):
    __slots__ = ("device_id", "return_type", "reason")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    RETURN_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    return_type: str
    reason: str
    def __init__(self, device_id: _Optional[str] = ..., return_type: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class NoBody(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SubmitResponse(_message.Message):
    __slots__ = ("request_id", "service_reference_variant", "response_code", "detail", "pre_command", "local_command", "inventory", "update_firmware_warnings", "wan_matrix", "schedule_created", "schedules_read", "opt_in_credentials")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_REFERENCE_VARIANT_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CODE_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    PRE_COMMAND_FIELD_NUMBER: _ClassVar[int]
    LOCAL_COMMAND_FIELD_NUMBER: _ClassVar[int]
    INVENTORY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_FIRMWARE_WARNINGS_FIELD_NUMBER: _ClassVar[int]
    WAN_MATRIX_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_CREATED_FIELD_NUMBER: _ClassVar[int]
    SCHEDULES_READ_FIELD_NUMBER: _ClassVar[int]
    OPT_IN_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    service_reference_variant: str
    response_code: str
    detail: str
    pre_command: PreCommand
    local_command: LocalCommand
    inventory: Inventory
    update_firmware_warnings: UpdateFirmwareWarnings
    wan_matrix: WanMatrix
    schedule_created: _schedules_pb2.ScheduleCreated
    schedules_read: _schedules_pb2.SchedulesRead
    opt_in_credentials: _service_opt_pb2.OptInCredentials
    def __init__(self, request_id: _Optional[str] = ..., service_reference_variant: _Optional[str] = ..., response_code: _Optional[str] = ..., detail: _Optional[str] = ..., pre_command: _Optional[_Union[PreCommand, _Mapping]] = ..., local_command: _Optional[_Union[LocalCommand, _Mapping]] = ..., inventory: _Optional[_Union[Inventory, _Mapping]] = ..., update_firmware_warnings: _Optional[_Union[UpdateFirmwareWarnings, _Mapping]] = ..., wan_matrix: _Optional[_Union[WanMatrix, _Mapping]] = ..., schedule_created: _Optional[_Union[_schedules_pb2.ScheduleCreated, _Mapping]] = ..., schedules_read: _Optional[_Union[_schedules_pb2.SchedulesRead, _Mapping]] = ..., opt_in_credentials: _Optional[_Union[_service_opt_pb2.OptInCredentials, _Mapping]] = ...) -> None: ...

class PreCommand(_message.Message):
    __slots__ = ("gbcs_version", "payload")
    GBCS_VERSION_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    gbcs_version: str
    payload: bytes
    def __init__(self, gbcs_version: _Optional[str] = ..., payload: _Optional[bytes] = ...) -> None: ...

class LocalCommand(_message.Message):
    __slots__ = ("payload",)
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    payload: bytes
    def __init__(self, payload: _Optional[bytes] = ...) -> None: ...

class Inventory(_message.Message):
    __slots__ = ("devices", "cpl_status")
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    CPL_STATUS_FIELD_NUMBER: _ClassVar[int]
    devices: _containers.RepeatedCompositeFieldContainer[_types_pb2.Device]
    cpl_status: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, devices: _Optional[_Iterable[_Union[_types_pb2.Device, _Mapping]]] = ..., cpl_status: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateFirmwareWarnings(_message.Message):
    __slots__ = ("invalid_device_ids", "not_commissioned", "not_applicable_firmware", "other_request_in_progress")
    INVALID_DEVICE_IDS_FIELD_NUMBER: _ClassVar[int]
    NOT_COMMISSIONED_FIELD_NUMBER: _ClassVar[int]
    NOT_APPLICABLE_FIRMWARE_FIELD_NUMBER: _ClassVar[int]
    OTHER_REQUEST_IN_PROGRESS_FIELD_NUMBER: _ClassVar[int]
    invalid_device_ids: _containers.RepeatedScalarFieldContainer[str]
    not_commissioned: _containers.RepeatedScalarFieldContainer[str]
    not_applicable_firmware: _containers.RepeatedScalarFieldContainer[str]
    other_request_in_progress: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, invalid_device_ids: _Optional[_Iterable[str]] = ..., not_commissioned: _Optional[_Iterable[str]] = ..., not_applicable_firmware: _Optional[_Iterable[str]] = ..., other_request_in_progress: _Optional[_Iterable[str]] = ...) -> None: ...

class WanCoverage(_message.Message):
    __slots__ = ("csp_region", "coverage_available", "wan_technology", "connectivity_likelihood")
    CSP_REGION_FIELD_NUMBER: _ClassVar[int]
    COVERAGE_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    WAN_TECHNOLOGY_FIELD_NUMBER: _ClassVar[int]
    CONNECTIVITY_LIKELIHOOD_FIELD_NUMBER: _ClassVar[int]
    csp_region: str
    coverage_available: bool
    wan_technology: str
    connectivity_likelihood: str
    def __init__(self, csp_region: _Optional[str] = ..., coverage_available: _Optional[bool] = ..., wan_technology: _Optional[str] = ..., connectivity_likelihood: _Optional[str] = ...) -> None: ...

class WanMatrix(_message.Message):
    __slots__ = ("coverage",)
    COVERAGE_FIELD_NUMBER: _ClassVar[int]
    coverage: _containers.RepeatedCompositeFieldContainer[WanCoverage]
    def __init__(self, coverage: _Optional[_Iterable[_Union[WanCoverage, _Mapping]]] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ("user_id", "after_sequence")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    after_sequence: int
    def __init__(self, user_id: _Optional[str] = ..., after_sequence: _Optional[int] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("sequence", "user_id", "service_response", "device_alert", "dcc_alert")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_RESPONSE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ALERT_FIELD_NUMBER: _ClassVar[int]
    DCC_ALERT_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    user_id: str
    service_response: ServiceResponse
    device_alert: DeviceAlert
    dcc_alert: DccAlert
    def __init__(self, sequence: _Optional[int] = ..., user_id: _Optional[str] = ..., service_response: _Optional[_Union[ServiceResponse, _Mapping]] = ..., device_alert: _Optional[_Union[DeviceAlert, _Mapping]] = ..., dcc_alert: _Optional[_Union[DccAlert, _Mapping]] = ...) -> None: ...

class ServiceResponse(_message.Message):
    __slots__ = ("request_id", "response_id", "service_reference_variant", "response_code", "device_id", "issued_at", "schedule_id", "firmware_version_read", "firmware_activation", "credentials_replaced", "device_certificate_updated", "credentials_issued", "remote_party_credentials", "device_certificate_read", "service_opt_out_outcome", "han_join_outcome", "device_log_read", "chf_device_log_read", "han_log_updated", "han_log_restored", "gpf_log_restored", "sub_ghz_configuration", "sub_ghz_channel", "sub_ghz_channel_log", "customer_identification_number", "network_data_log_started", "prepayment_command_refused", "prepay_values", "meter_balance", "prepayment_billing_log", "prepayment_configuration", "prepayment_daily_read_log", "payment_mode", "supply_status", "voltage_configuration", "randomisation", "identity", "power_thresholds", "mpxn", "gas_configuration", "alert_behaviours", "clock_synchronised", "event_or_security_log", "alcs_data", "boost_button_details", "auxiliary_controller_configuration", "auxiliary_controller_operational_data", "import_registers", "export_registers", "meter_log", "export_profile", "network_data", "maximum_demand", "load_limit_data", "active_power", "tou_matrices", "tou_with_blocks", "block_counters", "billing_data_log", "primary_tariff", "secondary_tariff", "billing_calendar")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_REFERENCE_VARIANT_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CODE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_READ_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_ACTIVATION_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_REPLACED_FIELD_NUMBER: _ClassVar[int]
    DEVICE_CERTIFICATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_ISSUED_FIELD_NUMBER: _ClassVar[int]
    REMOTE_PARTY_CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    DEVICE_CERTIFICATE_READ_FIELD_NUMBER: _ClassVar[int]
    SERVICE_OPT_OUT_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    HAN_JOIN_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    DEVICE_LOG_READ_FIELD_NUMBER: _ClassVar[int]
    CHF_DEVICE_LOG_READ_FIELD_NUMBER: _ClassVar[int]
    HAN_LOG_UPDATED_FIELD_NUMBER: _ClassVar[int]
    HAN_LOG_RESTORED_FIELD_NUMBER: _ClassVar[int]
    GPF_LOG_RESTORED_FIELD_NUMBER: _ClassVar[int]
    SUB_GHZ_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    SUB_GHZ_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SUB_GHZ_CHANNEL_LOG_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_IDENTIFICATION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NETWORK_DATA_LOG_STARTED_FIELD_NUMBER: _ClassVar[int]
    PREPAYMENT_COMMAND_REFUSED_FIELD_NUMBER: _ClassVar[int]
    PREPAY_VALUES_FIELD_NUMBER: _ClassVar[int]
    METER_BALANCE_FIELD_NUMBER: _ClassVar[int]
    PREPAYMENT_BILLING_LOG_FIELD_NUMBER: _ClassVar[int]
    PREPAYMENT_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    PREPAYMENT_DAILY_READ_LOG_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_MODE_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_STATUS_FIELD_NUMBER: _ClassVar[int]
    VOLTAGE_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    RANDOMISATION_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    POWER_THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    MPXN_FIELD_NUMBER: _ClassVar[int]
    GAS_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    ALERT_BEHAVIOURS_FIELD_NUMBER: _ClassVar[int]
    CLOCK_SYNCHRONISED_FIELD_NUMBER: _ClassVar[int]
    EVENT_OR_SECURITY_LOG_FIELD_NUMBER: _ClassVar[int]
    ALCS_DATA_FIELD_NUMBER: _ClassVar[int]
    BOOST_BUTTON_DETAILS_FIELD_NUMBER: _ClassVar[int]
    AUXILIARY_CONTROLLER_CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    AUXILIARY_CONTROLLER_OPERATIONAL_DATA_FIELD_NUMBER: _ClassVar[int]
    IMPORT_REGISTERS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_REGISTERS_FIELD_NUMBER: _ClassVar[int]
    METER_LOG_FIELD_NUMBER: _ClassVar[int]
    EXPORT_PROFILE_FIELD_NUMBER: _ClassVar[int]
    NETWORK_DATA_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_DEMAND_FIELD_NUMBER: _ClassVar[int]
    LOAD_LIMIT_DATA_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_POWER_FIELD_NUMBER: _ClassVar[int]
    TOU_MATRICES_FIELD_NUMBER: _ClassVar[int]
    TOU_WITH_BLOCKS_FIELD_NUMBER: _ClassVar[int]
    BLOCK_COUNTERS_FIELD_NUMBER: _ClassVar[int]
    BILLING_DATA_LOG_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_TARIFF_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_TARIFF_FIELD_NUMBER: _ClassVar[int]
    BILLING_CALENDAR_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    response_id: str
    service_reference_variant: str
    response_code: str
    device_id: str
    issued_at: _timestamp_pb2.Timestamp
    schedule_id: int
    firmware_version_read: FirmwareVersionRead
    firmware_activation: FirmwareActivation
    credentials_replaced: _credentials_pb2.CredentialsReplaced
    device_certificate_updated: _credentials_pb2.DeviceCertificateUpdated
    credentials_issued: _credentials_pb2.CredentialsIssued
    remote_party_credentials: _credentials_pb2.RemotePartyCredentials
    device_certificate_read: _credentials_pb2.DeviceCertificateRead
    service_opt_out_outcome: _service_opt_pb2.ServiceOptOutOutcome
    han_join_outcome: _han_pb2.HanJoinOutcome
    device_log_read: _han_pb2.DeviceLogRead
    chf_device_log_read: _han_pb2.ChfDeviceLogRead
    han_log_updated: _han_pb2.HanLogUpdated
    han_log_restored: _han_pb2.HanLogRestored
    gpf_log_restored: _han_pb2.GpfLogRestored
    sub_ghz_configuration: _sub_ghz_pb2.SubGhzSettings
    sub_ghz_channel: _sub_ghz_pb2.SubGhzChannel
    sub_ghz_channel_log: _sub_ghz_pb2.SubGhzChannelLog
    customer_identification_number: _customer_and_network_pb2.CustomerIdentificationNumber
    network_data_log_started: _customer_and_network_pb2.NetworkDataLogStarted
    prepayment_command_refused: _prepayment_pb2.PrepaymentCommandRefused
    prepay_values: _prepayment_pb2.PrepayValues
    meter_balance: _prepayment_pb2.MeterBalance
    prepayment_billing_log: _prepayment_pb2.PrepaymentBillingLog
    prepayment_configuration: _prepayment_pb2.PrepaymentConfiguration
    prepayment_daily_read_log: _prepayment_pb2.PrepaymentDailyReadLog
    payment_mode: _prepayment_pb2.PaymentModeRead
    supply_status: _prepayment_pb2.SupplyStatus
    voltage_configuration: _configuration_pb2.CfgVoltageRead
    randomisation: _configuration_pb2.CfgRandomisationRead
    identity: _configuration_pb2.CfgIdentityRead
    power_thresholds: _configuration_pb2.CfgPowerThresholdsRead
    mpxn: _configuration_pb2.CfgMpxnRead
    gas_configuration: _configuration_pb2.CfgGasConfigurationRead
    alert_behaviours: _configuration_pb2.CfgAlertBehavioursRead
    clock_synchronised: _configuration_pb2.CfgClockSynchronised
    event_or_security_log: _configuration_pb2.CfgLogRead
    alcs_data: _auxiliary_loads_pb2.AuxSwitchDataRead
    boost_button_details: _auxiliary_loads_pb2.AuxBoostButtonRead
    auxiliary_controller_configuration: _auxiliary_loads_pb2.AuxControllerConfigurationRead
    auxiliary_controller_operational_data: _auxiliary_loads_pb2.AuxControllerOperationalRead
    import_registers: _reads_pb2.MeterImportRegisters
    export_registers: _reads_pb2.MeterExportRegisters
    meter_log: _reads_pb2.MeterLog
    export_profile: _reads_pb2.MeterExportProfile
    network_data: _reads_pb2.MeterNetworkData
    maximum_demand: _reads_pb2.MaximumDemandRead
    load_limit_data: _reads_pb2.MeterLoadLimitData
    active_power: _reads_pb2.MeterActivePower
    tou_matrices: _tariffs_pb2.TariffTouMatrices
    tou_with_blocks: _tariffs_pb2.TariffTouWithBlocks
    block_counters: _tariffs_pb2.TariffBlockCounters
    billing_data_log: _tariffs_pb2.TariffBillingDataLog
    primary_tariff: _tariffs_pb2.TariffPrimaryRead
    secondary_tariff: _tariffs_pb2.TariffSecondaryRead
    billing_calendar: _tariffs_pb2.TariffBillingCalendarRead
    def __init__(self, request_id: _Optional[str] = ..., response_id: _Optional[str] = ..., service_reference_variant: _Optional[str] = ..., response_code: _Optional[str] = ..., device_id: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., schedule_id: _Optional[int] = ..., firmware_version_read: _Optional[_Union[FirmwareVersionRead, _Mapping]] = ..., firmware_activation: _Optional[_Union[FirmwareActivation, _Mapping]] = ..., credentials_replaced: _Optional[_Union[_credentials_pb2.CredentialsReplaced, _Mapping]] = ..., device_certificate_updated: _Optional[_Union[_credentials_pb2.DeviceCertificateUpdated, _Mapping]] = ..., credentials_issued: _Optional[_Union[_credentials_pb2.CredentialsIssued, _Mapping]] = ..., remote_party_credentials: _Optional[_Union[_credentials_pb2.RemotePartyCredentials, _Mapping]] = ..., device_certificate_read: _Optional[_Union[_credentials_pb2.DeviceCertificateRead, _Mapping]] = ..., service_opt_out_outcome: _Optional[_Union[_service_opt_pb2.ServiceOptOutOutcome, _Mapping]] = ..., han_join_outcome: _Optional[_Union[_han_pb2.HanJoinOutcome, _Mapping]] = ..., device_log_read: _Optional[_Union[_han_pb2.DeviceLogRead, _Mapping]] = ..., chf_device_log_read: _Optional[_Union[_han_pb2.ChfDeviceLogRead, _Mapping]] = ..., han_log_updated: _Optional[_Union[_han_pb2.HanLogUpdated, _Mapping]] = ..., han_log_restored: _Optional[_Union[_han_pb2.HanLogRestored, _Mapping]] = ..., gpf_log_restored: _Optional[_Union[_han_pb2.GpfLogRestored, _Mapping]] = ..., sub_ghz_configuration: _Optional[_Union[_sub_ghz_pb2.SubGhzSettings, _Mapping]] = ..., sub_ghz_channel: _Optional[_Union[_sub_ghz_pb2.SubGhzChannel, _Mapping]] = ..., sub_ghz_channel_log: _Optional[_Union[_sub_ghz_pb2.SubGhzChannelLog, _Mapping]] = ..., customer_identification_number: _Optional[_Union[_customer_and_network_pb2.CustomerIdentificationNumber, _Mapping]] = ..., network_data_log_started: _Optional[_Union[_customer_and_network_pb2.NetworkDataLogStarted, _Mapping]] = ..., prepayment_command_refused: _Optional[_Union[_prepayment_pb2.PrepaymentCommandRefused, _Mapping]] = ..., prepay_values: _Optional[_Union[_prepayment_pb2.PrepayValues, _Mapping]] = ..., meter_balance: _Optional[_Union[_prepayment_pb2.MeterBalance, _Mapping]] = ..., prepayment_billing_log: _Optional[_Union[_prepayment_pb2.PrepaymentBillingLog, _Mapping]] = ..., prepayment_configuration: _Optional[_Union[_prepayment_pb2.PrepaymentConfiguration, _Mapping]] = ..., prepayment_daily_read_log: _Optional[_Union[_prepayment_pb2.PrepaymentDailyReadLog, _Mapping]] = ..., payment_mode: _Optional[_Union[_prepayment_pb2.PaymentModeRead, _Mapping]] = ..., supply_status: _Optional[_Union[_prepayment_pb2.SupplyStatus, _Mapping]] = ..., voltage_configuration: _Optional[_Union[_configuration_pb2.CfgVoltageRead, _Mapping]] = ..., randomisation: _Optional[_Union[_configuration_pb2.CfgRandomisationRead, _Mapping]] = ..., identity: _Optional[_Union[_configuration_pb2.CfgIdentityRead, _Mapping]] = ..., power_thresholds: _Optional[_Union[_configuration_pb2.CfgPowerThresholdsRead, _Mapping]] = ..., mpxn: _Optional[_Union[_configuration_pb2.CfgMpxnRead, _Mapping]] = ..., gas_configuration: _Optional[_Union[_configuration_pb2.CfgGasConfigurationRead, _Mapping]] = ..., alert_behaviours: _Optional[_Union[_configuration_pb2.CfgAlertBehavioursRead, _Mapping]] = ..., clock_synchronised: _Optional[_Union[_configuration_pb2.CfgClockSynchronised, _Mapping]] = ..., event_or_security_log: _Optional[_Union[_configuration_pb2.CfgLogRead, _Mapping]] = ..., alcs_data: _Optional[_Union[_auxiliary_loads_pb2.AuxSwitchDataRead, _Mapping]] = ..., boost_button_details: _Optional[_Union[_auxiliary_loads_pb2.AuxBoostButtonRead, _Mapping]] = ..., auxiliary_controller_configuration: _Optional[_Union[_auxiliary_loads_pb2.AuxControllerConfigurationRead, _Mapping]] = ..., auxiliary_controller_operational_data: _Optional[_Union[_auxiliary_loads_pb2.AuxControllerOperationalRead, _Mapping]] = ..., import_registers: _Optional[_Union[_reads_pb2.MeterImportRegisters, _Mapping]] = ..., export_registers: _Optional[_Union[_reads_pb2.MeterExportRegisters, _Mapping]] = ..., meter_log: _Optional[_Union[_reads_pb2.MeterLog, _Mapping]] = ..., export_profile: _Optional[_Union[_reads_pb2.MeterExportProfile, _Mapping]] = ..., network_data: _Optional[_Union[_reads_pb2.MeterNetworkData, _Mapping]] = ..., maximum_demand: _Optional[_Union[_reads_pb2.MaximumDemandRead, _Mapping]] = ..., load_limit_data: _Optional[_Union[_reads_pb2.MeterLoadLimitData, _Mapping]] = ..., active_power: _Optional[_Union[_reads_pb2.MeterActivePower, _Mapping]] = ..., tou_matrices: _Optional[_Union[_tariffs_pb2.TariffTouMatrices, _Mapping]] = ..., tou_with_blocks: _Optional[_Union[_tariffs_pb2.TariffTouWithBlocks, _Mapping]] = ..., block_counters: _Optional[_Union[_tariffs_pb2.TariffBlockCounters, _Mapping]] = ..., billing_data_log: _Optional[_Union[_tariffs_pb2.TariffBillingDataLog, _Mapping]] = ..., primary_tariff: _Optional[_Union[_tariffs_pb2.TariffPrimaryRead, _Mapping]] = ..., secondary_tariff: _Optional[_Union[_tariffs_pb2.TariffSecondaryRead, _Mapping]] = ..., billing_calendar: _Optional[_Union[_tariffs_pb2.TariffBillingCalendarRead, _Mapping]] = ...) -> None: ...

class FirmwareVersionRead(_message.Message):
    __slots__ = ("firmware_version", "gsme_firmware_version")
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    GSME_FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    firmware_version: str
    gsme_firmware_version: str
    def __init__(self, firmware_version: _Optional[str] = ..., gsme_firmware_version: _Optional[str] = ...) -> None: ...

class FirmwareActivation(_message.Message):
    __slots__ = ("activate_image_response_code", "firmware_version")
    ACTIVATE_IMAGE_RESPONSE_CODE_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    activate_image_response_code: str
    firmware_version: str
    def __init__(self, activate_image_response_code: _Optional[str] = ..., firmware_version: _Optional[str] = ...) -> None: ...

class DeviceAlert(_message.Message):
    __slots__ = ("device_id", "message_code", "alert_code", "issued_at", "firmware_version", "request_id", "credentials_outcome", "alert_name", "supply_outage_restore", "integrity_warning")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    ALERT_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ALERT_NAME_FIELD_NUMBER: _ClassVar[int]
    SUPPLY_OUTAGE_RESTORE_FIELD_NUMBER: _ClassVar[int]
    INTEGRITY_WARNING_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    message_code: int
    alert_code: int
    issued_at: _timestamp_pb2.Timestamp
    firmware_version: str
    request_id: str
    credentials_outcome: _credentials_pb2.CredentialsExecutionOutcome
    alert_name: str
    supply_outage_restore: SupplyOutageRestore
    integrity_warning: str
    def __init__(self, device_id: _Optional[str] = ..., message_code: _Optional[int] = ..., alert_code: _Optional[int] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., firmware_version: _Optional[str] = ..., request_id: _Optional[str] = ..., credentials_outcome: _Optional[_Union[_credentials_pb2.CredentialsExecutionOutcome, _Mapping]] = ..., alert_name: _Optional[str] = ..., supply_outage_restore: _Optional[_Union[SupplyOutageRestore, _Mapping]] = ..., integrity_warning: _Optional[str] = ...) -> None: ...

class SupplyOutageRestore(_message.Message):
    __slots__ = ("interrupted_at", "restored_at")
    INTERRUPTED_AT_FIELD_NUMBER: _ClassVar[int]
    RESTORED_AT_FIELD_NUMBER: _ClassVar[int]
    interrupted_at: _timestamp_pb2.Timestamp
    restored_at: _timestamp_pb2.Timestamp
    def __init__(self, interrupted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., restored_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DccAlert(_message.Message):
    __slots__ = ("dcc_alert_code", "device_id", "issued_at", "device_status_change", "firmware_version_mismatch", "change_of_supplier", "schedule_removal")
    DCC_ALERT_CODE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    DEVICE_STATUS_CHANGE_FIELD_NUMBER: _ClassVar[int]
    FIRMWARE_VERSION_MISMATCH_FIELD_NUMBER: _ClassVar[int]
    CHANGE_OF_SUPPLIER_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_REMOVAL_FIELD_NUMBER: _ClassVar[int]
    dcc_alert_code: str
    device_id: str
    issued_at: _timestamp_pb2.Timestamp
    device_status_change: DeviceStatusChange
    firmware_version_mismatch: FirmwareVersionMismatch
    change_of_supplier: ChangeOfSupplier
    schedule_removal: ScheduleRemoval
    def __init__(self, dcc_alert_code: _Optional[str] = ..., device_id: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., device_status_change: _Optional[_Union[DeviceStatusChange, _Mapping]] = ..., firmware_version_mismatch: _Optional[_Union[FirmwareVersionMismatch, _Mapping]] = ..., change_of_supplier: _Optional[_Union[ChangeOfSupplier, _Mapping]] = ..., schedule_removal: _Optional[_Union[ScheduleRemoval, _Mapping]] = ...) -> None: ...

class ScheduleRemoval(_message.Message):
    __slots__ = ("schedule_id",)
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    schedule_id: int
    def __init__(self, schedule_id: _Optional[int] = ...) -> None: ...

class DeviceStatusChange(_message.Message):
    __slots__ = ("restored",)
    RESTORED_FIELD_NUMBER: _ClassVar[int]
    restored: bool
    def __init__(self, restored: _Optional[bool] = ...) -> None: ...

class FirmwareVersionMismatch(_message.Message):
    __slots__ = ("device_type", "smi_version", "device_version")
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SMI_VERSION_FIELD_NUMBER: _ClassVar[int]
    DEVICE_VERSION_FIELD_NUMBER: _ClassVar[int]
    device_type: _types_pb2.DeviceType
    smi_version: str
    device_version: str
    def __init__(self, device_type: _Optional[_Union[_types_pb2.DeviceType, str]] = ..., smi_version: _Optional[str] = ..., device_version: _Optional[str] = ...) -> None: ...

class ChangeOfSupplier(_message.Message):
    __slots__ = ("request_id", "ecos_error_code")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ECOS_ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    ecos_error_code: str
    def __init__(self, request_id: _Optional[str] = ..., ecos_error_code: _Optional[str] = ...) -> None: ...

class AcknowledgeRequest(_message.Message):
    __slots__ = ("user_id", "up_to_sequence")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    UP_TO_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    up_to_sequence: int
    def __init__(self, user_id: _Optional[str] = ..., up_to_sequence: _Optional[int] = ...) -> None: ...

class AcknowledgeResponse(_message.Message):
    __slots__ = ("removed",)
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    removed: int
    def __init__(self, removed: _Optional[int] = ...) -> None: ...

class SubmitBatchRequest(_message.Message):
    __slots__ = ("requests",)
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    requests: _containers.RepeatedCompositeFieldContainer[SubmitRequest]
    def __init__(self, requests: _Optional[_Iterable[_Union[SubmitRequest, _Mapping]]] = ...) -> None: ...

class SubmitBatchResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[SubmitResult]
    def __init__(self, results: _Optional[_Iterable[_Union[SubmitResult, _Mapping]]] = ...) -> None: ...

class SubmitResult(_message.Message):
    __slots__ = ("response", "error")
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    response: SubmitResponse
    error: SubmitError
    def __init__(self, response: _Optional[_Union[SubmitResponse, _Mapping]] = ..., error: _Optional[_Union[SubmitError, _Mapping]] = ...) -> None: ...

class SubmitError(_message.Message):
    __slots__ = ("code", "message", "field")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    field: str
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ..., field: _Optional[str] = ...) -> None: ...

class SubscribeBatchesRequest(_message.Message):
    __slots__ = ("user_id", "after_sequence", "max_batch")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    after_sequence: int
    max_batch: int
    def __init__(self, user_id: _Optional[str] = ..., after_sequence: _Optional[int] = ..., max_batch: _Optional[int] = ...) -> None: ...

class DeliveryBatch(_message.Message):
    __slots__ = ("deliveries",)
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    def __init__(self, deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ...) -> None: ...
