### Dossier message catalogue — English.
### The domain's messages: errors and the names of the codes it defines (roles, units, statuses).
### Message ids are the code's keys with "." written as "-" (common.required → common-required).

## The language itself, as its speakers name it (the language switcher shows it).
language-name = English

## Messages shared by every part of the system.
common-required = This field is required.
common-too_long = Too long: at most { $max } characters.
common-invalid_date = The date must be in the form YYYY-MM-DD.
common-date_in_future = The date cannot be in the future.
common-unknown_value = Unknown value “{ $value }”.
common-unknown_message = A message this version does not know.
common-concurrent_change = Someone changed this at the same moment; please try again.
common-out_of_range = Must be from { $min } to { $max }.
common-not_found = Not found.
common-forbidden = You are not allowed to do this.
common-unauthenticated = Please sign in.
common-malformed_json = Malformed JSON: { $detail }
common-malformed_request = Malformed request: { $detail }
common-payload_too_large = The request is too large.
common-validation_failed = The data did not pass validation.
common-conflict = Conflict with existing data.
document-changed = The document was changed meanwhile; nothing was written.
common-internal = Internal error. Please try again later; the event has been logged.
common-rate_limited = Too many attempts. Please try again later.
common-csrf = The form is stale or forged. Reload the page and try again.
common-unsupported_media = Unsupported media type: { $detail }
common-bad_encoding = The row is not valid UTF-8.
common-unprintable = The character { $char } cannot be printed on a document: only Ukrainian and Latin letters, digits and the usual punctuation.
common-repeated_item = “{ $item }” is listed more than once; name each item once.
auth-bad_credentials = Wrong login or password.
auth-locked = The account is temporarily locked after several failed attempts. Try again later.
org-bad_parent = A unit of this kind cannot be placed under the chosen parent.
org-code_taken = A unit with this code already exists.
staff-login_taken = This login is already taken.
tsa-not_configured = No time-stamping unit is configured on this server.

## Messages about identifiers (SPEC §3).
rnokpp-format = The RNOKPP must be { $len } digits.
rnokpp-checksum = Wrong RNOKPP check digit — please re-check the number.
rnokpp-birth_mismatch = The date of birth disagrees with the RNOKPP (the number says { $date }).
rnokpp-sex_mismatch = The sex disagrees with the RNOKPP.
unzr-format = The UNZR must look like YYYYMMDD-NNNNC.
unzr-date = The UNZR contains a date that does not exist.
unzr-checksum = Wrong UNZR check digit.
passport-format = Passport: two Ukrainian capital letters and six digits (e.g. КВ123456).
id_card-format = An ID-card number is { $len } digits.
okzo-format = The OKZO number is up to 10 digits (padded with leading zeros).
account-format = The personal account number is 1 to { $max } digits.

## Messages about people and representatives.
name-letters = Character “{ $char }” is not allowed: only letters, apostrophe and hyphen.
name-separator = An apostrophe, hyphen or space cannot start, end or repeat.
person-birth_too_early = The date of birth is before 1900.
person-rnokpp_required = Enter the RNOKPP or mark that the person refused it for religious reasons.
person-rnokpp_with_refusal = The person refused the RNOKPP — no number may be stored.
person-passport_required_for_refusal = A person who refused the RNOKPP must be identified by passport series and number.
person-unzr_birth_mismatch = The date in the UNZR disagrees with the date of birth.
person-id_card_expiry_without_card = An expiry date is given but no ID-card number.
person-duplicate = A person with this RNOKPP or passport is already in the registry.
person-photo_not_image = The photo must be a JPEG or PNG image.
person-photo_too_large = The photo is too large: at most { $max } KB.
person-photo_too_small = The photo is too small: at least { $w }×{ $h } pixels.
person-signature_not_image = The signature specimen must be a JPEG or PNG image.
person-signature_too_large = The signature specimen is too large: at most { $max } KB.
person-signature_too_small = The signature specimen is too small: at least { $w }×{ $h } pixels.
sex-male = male
sex-female = female
capacity-full = full capacity
capacity-limited = limited capacity
capacity-incapacitated = incapacitated
rep-parent = parent
rep-adoptive_parent = adoptive parent
rep-parent_educator = parent-educator (family-type home)
rep-foster_parent = foster parent
rep-patronage_educator = patronage educator
rep-guardian = guardian
rep-custodian = custodian
rep-institution = institution (guardianship body)
rep-proof_required = Enter the document proving the representative’s status.
rep-resident_needs_rnokpp = A resident representative shows tax registration — enter the RNOKPP.
person-unit_not_district = A person is registered at a district office — choose one.
import-missing_column = The CSV header lacks the column “{ $column }”.
import-malformed_row = The CSV row cannot be read (quotes or separators).
import-empty = The file has no data rows.

## Messages of the pension-certificate application (regulation 26-1).
application-issue_unit_not_office = A paper certificate is issued by a fund office — choose a district office or service centre.
application-issue_unit_not_bank_branch = A card certificate is issued by a bank branch — choose a branch.
application-idp_gets_card = Internally displaced persons receive the card (electronic) certificate.
application-disability_required = For a disability pension enter the disability group and cause.
application-term_in_past = The term must end in the future.
application-representative_required = For a minor, incapacitated or limited-capacity person the application is filed by a legal representative — choose one.
application-representative_unknown = No such representative is on record for this person.
application-representative_inactive = This representative’s authority has ended.
application-duplicate = There is already a live certificate or application for this pension kind: { $reference } (stage: { $stage }).
application-card_holder_no_paper = A person holding a card certificate ({ $reference }) gets no paper one.
application-paper_holder_card_in_its_place = The person holds a paper certificate ({ $reference }): a card is made only in its place — file the card application as the replacement of that certificate.
application-subgroup_only_group_one = Subgroups (A or B) exist only within group I.
application-child_with_disability_age = “Child with disability” applies only under 18.
application-minor_is_child_with_disability = For a person under 18 the cause is “child with disability”.
application-child_of_war_birth = “Child of war” applies to a person under 18 on 2 September 1945.
application-previous_disposition_required = The previous certificate must be returned or declared lost.
application-lost_cannot_be_returned = A lost certificate cannot be returned — mark it as declared lost.
application-previous_not_found = The person’s previous certificate was not found.
application-previous_not_held = Certificate { $reference } has not been issued or is no longer valid — it cannot be replaced.
application-payment_system_required = Choose the card's payment system: international or national.
application-payment_system_card_only = A payment system is chosen for a card only.
payment_system-international = an international payment system
payment_system-national = the national payment system (PROSTIR)
application-term_extended_card_only = An extended term gets a new card: only a card can be replaced by a card for it.
application-term_not_extended = The term applied for must end later than the previous card's ({ $date }) or establish a disability.
application-term_not_fixed = The previous card has no fixed term to extend, unless a disability is now established.
application-other_kind_must_differ = Replacement for another pension kind: the kind must differ from the previous one.
application-replacement_same_kind = A replacement for this reason keeps the previous certificate’s pension kind.
application-not_amendable = The application is already in production — it can no longer be changed or withdrawn.
application-until = until
pension-old_age = old age
pension-disability = disability
pension-loss_of_breadwinner = loss of breadwinner
pension-long_service = long service
disability_group-1 = group I
disability_group-2 = group II
disability_group-3 = group III
disability_subgroup-a = subgroup A
disability_subgroup-b = subgroup B
disability_cause-general_disease = general disease
disability_cause-from_childhood = disability from childhood
disability_cause-work_injury = work injury
disability_cause-occupational_disease = occupational disease
disability_cause-war = war disability
disability_cause-child_with_disability = child with disability
disability_cause-child_of_war = child of war
disability_cause-army = army disability
disability_cause-chornobyl_liquidator = Chornobyl clean-up worker disability
disability_cause-chornobyl_victim = Chornobyl victim disability
disability_cause-revolution_of_dignity = Revolution of Dignity disability
impairment-hearing = hearing
impairment-sight = sight
impairment-musculoskeletal = musculoskeletal

## The disability entry printed on the certificate (§II.3, item 7): "{ $group }" is a Roman numeral,
## "{ $cause }" the cause and "{ $impairment }" the nosological form, when there is one.
certificate-group_numeral-1 = I
certificate-group_numeral-2 = II
certificate-group_numeral-3 = III
certificate-subgroup_letter-a = A
certificate-subgroup_letter-b = B
certificate-disability = person with disability of group { $group }
certificate-disability_subgroup = person with disability of subgroup { $subgroup } of group { $group }
service_body-derzhspetszviazku = Derzhspetszviazku
service_body-dps = DPS
service_body-dkvs = DKVS
service_body-dsns = DSNS
service_body-dfs = DFS
service_body-mvs = MVS
service_body-mininfrastruktury = Mininfrastruktury
service_body-minoborony = Minoborony
service_body-natsionalna_hvardiia = Natsionalna hvardiia
service_body-natsionalna_politsiia = Natsionalna politsiia
service_body-sbu = SBU
service_body-szr = Sluzhba zovnishnoi rozvidky
service_body-udo = UDO
replacement-unusable = certificate unusable
replacement-lost = certificate lost
replacement-term_extended = pension term extended or disability established (extended)
replacement-other_pension_kind = another pension kind granted
replacement-representative_changed = guardianship circumstances changed
form-paper = paper
form-card = card (electronic)
application-replacement_fixed = Replacement details cannot be amended — withdraw the application and file a new one.

## Messages of the certification centre: profiles, the registry checks (SPEC §2.2, §2.4 §IV), requests, revocation.

## Profiles.
cert_profile-qes_id_card = Qualified signature on the ID card
cert_profile-card_key = Electronic pension certificate key
cert_profile-agency_encryption = Agency encryption
cert_profile-document_signing = Document signing (agency)
cert_profile-time_stamping = Time-stamping

## Registry checks.
certification-refused = The certificate cannot be issued.
certification-validity_positive = The validity must be at least one day.
certification-validity_beyond_profile = Certificates of this kind are valid for at most { $max } days.
certification-person_profile_for_unit = Qualified-signature and card keys are certified for a person only, not for an org unit.
certification-unit_profile_for_person = Encryption, document-signing and time-stamping certificates are issued to org units only, not to people.
certification-qes_adults_only = A qualified signature on the ID card is only for persons aged 18 or over.
certification-qes_no_id_card = The registry holds no ID card of this person.
certification-qes_id_card_expiry_unknown = The ID card's expiry date is unknown: record it in the registry first.
certification-qes_id_card_expired = The ID card expired on { $date }.
certification-qes_beyond_id_card = The certificate cannot outlive the ID card (valid until { $date }, i.e. at most { $days } days).
certification-card_application_required = Card keys are certified only for an application for an electronic certificate: name the application.
certification-card_application_other_person = This application belongs to another person.
certification-card_application_not_card = This is an application for a paper certificate: keys are certified only for a card.
certification-card_application_wrong_stage = Keys are certified once they have been generated; the application is at the stage “{ $stage }”.
certification-card_key_beyond_card = The key cannot outlive the card (valid until { $date }, i.e. at most { $days } days).

## Requests and the centre itself.
ca-not_configured = The certification centre is not set up: run “dossier ca init” and set DOSSIER_CA_PIN.
ca-csr_malformed = The certificate request is damaged or not PKCS#10.
ca-csr_bad_signature = The request's signature does not verify: possession of the private key is not proven.
ca-csr_unsupported = The request's algorithm is not supported (ECDSA P-256 or P-384 required).
ca-csr_weak_algorithm = The request is signed with SHA-1, which is not accepted in new signatures (ETSI TS 119 312): sign it with SHA-256, SHA-384 or SHA-512.
ca-subject_required = Name exactly one subject: a person or an org unit.
ca-person_not_found = The person is not in the registry.
ca-unit_not_found = No such org unit.
ca-card_application_not_found = No such application.
ca-already_revoked = The certificate is already revoked.
ca-serial_format = A serial number is hexadecimal digits.
ca-issue_failed = The certification centre could not sign the certificate.

## Revocation reasons (RFC 5280 §5.3.1).
revocation-unspecified = Unspecified
revocation-key_compromise = Key compromise
revocation-ca_compromise = CA compromise
revocation-affiliation_changed = Affiliation changed
revocation-superseded = Superseded
revocation-cessation_of_operation = Cessation of operation
revocation-certificate_hold = Certificate hold
revocation-privilege_withdrawn = Privilege withdrawn

## Messages of the certificate life cycle (regulation 26-1, §§ III–V): certificate forms, stage names, event names (button labels) and refusals.

## Forms of a certificate.
certificate_form-paper = Paper certificate
certificate_form-card = Electronic certificate (payment card)

## Stages.
stage-accepted = Application accepted
stage-submitted_to_region = Data submitted to the regional main office
stage-submitted_to_central = Data submitted to the Pension Fund of Ukraine
stage-duplicate_hold = Production on hold: possible duplicate certificate
stage-in_production = Certificate in production
stage-produced = Certificate produced
stage-at_region = Certificate transferred to the regional main office
stage-at_district = Certificate at the district office, ready for issue
stage-sent_to_bank = Application sent to the bank
stage-account_opened = Bank account opened
stage-at_personalizer = Data sent to the personalizer
stage-keys_generated = Keys generated, certification requests submitted
stage-keys_certified = Key certificates issued
stage-personalized = Card personalized
stage-at_branch = Card at the bank branch, ready for issue
stage-issued = Certificate issued
stage-active = Card activated
stage-blocked = Card blocked
stage-returned = Certificate returned for destruction
stage-lost = Certificate declared lost
stage-withdrawn_by_bank = Card withdrawn by the bank
stage-destroyed = Certificate destroyed
stage-withdrawn = Application withdrawn
stage-refused = Production refused

## Events, worded as the actions a person records.
event-submit_to_region = Submit the data to the regional main office
event-submit_to_central = Submit the data to the Pension Fund of Ukraine
event-pass_duplicate_check = Confirm that no earlier certificate exists
event-hold_as_duplicate = Put production on hold as a possible duplicate
event-release_hold = Release the hold
event-produce = Record production
event-transfer_to_region = Transfer to the regional main office by act
event-transfer_to_district = Transfer to the district office by act
event-send_to_bank = Send the application to the bank
event-open_account = Record the account opening
event-send_to_personalizer = Send the data to the personalizer
event-generate_keys = Record key generation
event-certify_keys = Record key certification
event-personalize = Record personalization
event-deliver_to_branch = Record delivery to the bank branch
event-issue = Issue the certificate
event-activate = Record activation
event-block = Block
event-unblock = Unblock
event-withdraw = Withdraw the application
event-refuse = Refuse production
event-return_for_destruction = Take the certificate back for destruction
event-declare_lost = Record the loss
event-withdraw_by_bank = Record withdrawal by the bank
event-destroy = Record destruction

## Refusals of `lifecycle::next`; {stage}, {event} and {form} are the names above, in the same language.
lifecycle-not_allowed = Action “{ $event }” is not available at stage “{ $stage }”.
lifecycle-wrong_form = Action “{ $event }” does not apply to a certificate in form “{ $form }”.
lifecycle-stage_not_in_form = Stage “{ $stage }” does not exist for a certificate in form “{ $form }”; please check the data.
lifecycle-already_final = The case is closed at stage “{ $stage }”; no further action is possible.
lifecycle-too_late_to_withdraw = The application can no longer be withdrawn: it has already been handed over for production.

## Names of the kinds of organisational units and of staff roles.
unit-central_fund = Pension Fund (central office)
unit-regional_office = Regional main office
unit-district_office = District office
unit-service_centre = Service centre
unit-bank = Bank
unit-bank_branch = Bank branch
unit-personalizer = Personalizer
unit-certification_centre = Certification centre
role-specialist = Service-centre specialist
role-district_officer = District officer
role-regional_officer = Regional officer
role-central_production_officer = Central production officer
role-transfer_responsible = Responsible person for acceptance/transfer
role-commission_member = Destruction commission member
role-bank_operator = Bank operator
role-personalizer_operator = Personalizer operator
role-ca_operator = CA operator
role-postal_digitizer = Postal digitizer
role-auditor = Auditor
role-administrator = Administrator

## Messages of signature validation reports (ETSI EN 319 102-1 indications and the checks behind them), worded for a specialist who is not a cryptographer: what was checked and what it means.
verify-title = Document signature check
verify-document = Document
verify-no_signatures = The document has no electronic signatures.
verify-signature_n = Signature { $n }
verify-doc_timestamp_n = Document time-stamp { $n }
verify-signer = Signer
verify-issuer = Certificate issuer
verify-claimed_time = Signing time (as the signer states)
verify-proven_time = Signing time (proven by a time-stamp)
verify-certificate_valid = Certificate valid
verify-later_revisions = The document was changed { $n } time(s) after signing
verify-covers_whole = The signature covers the whole document
verify-level = Signature level
verify-technical = Technical details
verify-upload = Check a PDF
verify-upload_hint = Choose a signed PDF file (up to 20 MB).
verify-download_json = Report as JSON

## Verdicts.
verify-indication-TOTAL-PASSED = Signature valid
verify-indication-TOTAL-FAILED = Signature NOT valid
verify-indication-INDETERMINATE = Signature could not be confirmed
verify-overall-TOTAL-PASSED = All signatures are valid
verify-overall-TOTAL-FAILED = The document has an invalid signature
verify-overall-INDETERMINATE = Not every signature could be confirmed

## Why (sub-indications).
verify-sub-FORMAT_FAILURE = The signature is damaged or malformed.
verify-sub-HASH_FAILURE = The document was changed after it was signed.
verify-sub-SIG_CRYPTO_FAILURE = The signature value does not match the signer's key.
verify-sub-REVOKED = The signer's certificate was revoked before signing.
verify-sub-EXPIRED = The signer's certificate had expired before signing.
verify-sub-NOT_YET_VALID = The certificate was not yet valid at signing time.
verify-sub-SIG_CONSTRAINTS_FAILURE = The signature does not meet the policy's requirements.
verify-sub-CHAIN_CONSTRAINTS_FAILURE = The certificate is not meant for this kind of signature.
verify-sub-CRYPTO_CONSTRAINTS_FAILURE = The signature algorithm is not accepted.
verify-sub-CRYPTO_CONSTRAINTS_FAILURE_NO_POE = An algorithm of the signature has expired and no time-stamp made with sound algorithms proves the signature existed before.
verify-sub-REVOKED_NO_POE = The certificate is revoked and no time-stamp proves an earlier signature.
verify-sub-OUT_OF_BOUNDS_NO_POE = The certificate is no longer valid and no time-stamp proves when it was signed.
verify-sub-NO_SIGNING_CERTIFICATE_FOUND = The signer's certificate was not found.
verify-sub-NO_CERTIFICATE_CHAIN_FOUND = The certificate was not issued by a trusted certification centre.
verify-sub-TRY_LATER = No current revocation list is available; try later.
verify-sub-SIGNED_DATA_NOT_FOUND = The signed data was not found.

## Checks.
verify-check-format = Signature format
verify-check-byte_range = Document coverage
verify-check-content_type = Signed content type
verify-check-message_digest = Document integrity
verify-check-signature = Signature value
verify-check-signing_certificate = Certificate bound to the signature
verify-check-chain = Chain to a trusted centre
verify-check-validity = Certificate validity
verify-check-chain_constraints = Certification centres' authority
verify-check-key_usage = Key usage
verify-check-algorithm = Algorithms sound at the proven time
verify-check-revocation = Revocation status
verify-check-timestamp = Time-stamp
verify-check-archive_timestamp = Archive time-stamp (long-term proof)
verify-check-timestamp_format = Time-stamp format
verify-check-timestamp_imprint = Time-stamp belongs to this signature
verify-check-other_signers = Other signers of the message
verify-check-countersignature = Counter-signature
verify-check-modifications = What later revisions changed
verify-status-passed = passed
verify-status-failed = failed
verify-status-warning = warning
verify-status-skipped = not checked
verify-signed_revision = Download the signed revision (the bytes signature { $n } covers)

## What a revision appended after a signature changed ($detail names the field, page or object).
verify-change-signature_added = A signature was added ({ $detail })
verify-change-document_timestamp_added = A document time-stamp was added ({ $detail })
verify-change-validation_data_added = Validation data (certificates, revocation information) were added
verify-change-metadata_updated = The document's metadata were updated
verify-change-field_filled = Form field «{ $detail }» was filled in
verify-change-annotation_added = A comment or mark was added on page { $detail }
verify-change-annotation_changed = A comment or mark was changed ({ $detail })
verify-change-annotation_removed = A comment or mark was removed from page { $detail }
verify-change-page_content_changed = The text or drawing of a page was replaced ({ $detail })
verify-change-page_changed = A page was altered ({ $detail })
verify-change-page_tree_changed = Pages were added, removed or reordered ({ $detail })
verify-change-resource_changed = Something a page draws with (a font, image or form) was redefined ({ $detail })
verify-change-catalog_changed = The document's structure was rewritten ({ $detail })
verify-change-action_added = An action or script was added ({ $detail })
verify-change-field_added = A form field was added ({ $detail })
verify-change-field_changed = A form field's definition was changed ({ $detail })
verify-change-locked_field_changed = Form field «{ $detail }», locked by the signature, was changed
verify-change-signature_changed = An existing signature was altered or removed ({ $detail })
verify-change-object_removed = An object of the signed document was deleted ({ $detail })
verify-change-bytes_after_end = Data were appended after the end of the document ({ $detail })
verify-change-unreadable = A later revision cannot be read
verify-change-not_allowed = not permitted after this signature

## Errors of the trust-service commands and endpoints.
verify-error-not_pdf = The file is not a PDF document.
verify-error-too_large = The file is too large.

## Messages about document sharing by code and consent (SPEC §2.1): what the specialist at the counter and the citizen in the wallet are told.
sharing-code-format = The code must be 13 digits.
sharing-code-checksum = Wrong check digit — please ask the visitor to read the code again.
sharing-code-unknown = There is no record with this code. Ask the visitor to refresh the code in the app.
sharing-code-expired = The code has expired (3 minutes). Ask for a new code.
sharing-code-used = This code has already been used. Each code works only once.
sharing-type_not_allowed = This branch may not request the document “{ $type }”.
sharing-type_mismatch = The document type must be “{ $type }”: the code was made for another document.
sharing-document_type-unknown = Unknown document type: { $type }.
sharing-request-not_allowed = A request that is “{ $status }” can no longer be changed.
sharing-request-unknown = Request not found. Request the document before sharing.
sharing-declined = The citizen declined to share the document.
sharing-hub_unreachable = The document-sharing service is unreachable. The request is kept and will be retried automatically.
sharing-rate_limited = Too many wrong codes. Wait { $seconds } s and try again.
sharing-doc-internal-passport = Passport of a citizen of Ukraine (ID card)
sharing-doc-taxpayer-card = Taxpayer card (RNOKPP)
sharing-doc-birth-certificate = Birth certificate
sharing-status-waiting_consent = Waiting for the citizen’s consent
sharing-status-approved = Consent given, the document is on its way
sharing-status-declined = Declined by the citizen
sharing-status-expired = Expired
sharing-status-delivered = Document received
sharing-status-failed = The document could not be delivered

## Texts of the fund's intake counter page and review queue.
intake-nav = Shared documents
intake-title = Receive a document by code
intake-lead = Ask the visitor to open the document in the app and read out the 13 digits under the barcode.
intake-code = Code (13 digits)
intake-code-ok = The check digit is correct.
intake-document_type = Expected document
intake-send = Send the request
intake-request = Document request
intake-request_id = Request id
intake-requested_at = Requested at
intake-delivered_at = Received at
intake-status = Status
intake-branch = Branch
intake-recipient = Recipient
intake-formed_at = Copy formed at
intake-download = Download the copy (PDF)
intake-verdict = Signature check
intake-person = Person
intake-unmatched = No matching person — the copy went to the review queue.
intake-new_request = New request
intake-refresh = Refresh the status
intake-follow = For the citizen: follow this request
intake-follow_intro = The citizen can scan this code with a phone to see, without signing in, whether the fund has received the document.
intake-follow_link = Status page of this request
intake-followers = Told of this request by message
intake-followers_caption = Subscriptions made from the status link
intake-status-submitting = Being sent to the sharing service
intake-status-refused = The code was not accepted
intake-no_branch = Your unit is not registered as a branch with the document-sharing service.
intake-not_configured = Document sharing is not configured on this server.
intake-hub_refused = The document-sharing service refused the request: { $detail }
intake-delivery_failed = The document could not be accepted: { $detail }
intake-review-title = Review queue of received copies
intake-review-empty = The queue is empty.
intake-review-assign = Attach to a person
intake-review-person_id = Person id (UUID)
intake-review-already = The copy is already attached to a person.
intake-review-assigned = The copy was attached to the person.
intake-delivery-malformed = Malformed delivery: the part “{ $part }” is missing.
intake-delivery-not_for_us = The package is not encrypted for this branch.
intake-delivery-undecryptable = The package cannot be decrypted.
intake-delivery-bad_signature = The sharing service's signature on the package is not valid.
intake-delivery-wrong_signer = The package was not signed by the trusted sharing service.
intake-delivery-bad_metadata = The package metadata is not in the expected format.
intake-delivery-unknown_request = This fund made no such request.
intake-delivery-trace_mismatch = The request id in the header and in the metadata differ.
intake-delivery-barcode_mismatch = The code in the package differs from the request's code.
intake-delivery-branch_mismatch = The package was formed for another branch.
intake-delivery-acquirer_mismatch = The package was formed for another recipient.
intake-delivery-type_mismatch = The package holds another document type than requested.
intake-delivery-not_live = The request is already closed ({ $status }); the document was not accepted.
intake-hub-bad_request = The sharing service did not understand the request.
intake-hub-unauthorized = The sharing service did not recognise the fund (check the token).
intake-hub-duplicate = This request was already sent.

## The card exchange with the bank, the personalizer and the certification centre (regulation 26-1, §IV).
card-party-fund = Pension fund
card-party-bank = Bank
card-party-personalizer = Personalizer
card-party-certification_centre = Key certification centre
card-not_found = No such card among the cards your organisation works on.
card-not_your_step = The step “{ $event }” is reported by another party, not by “{ $party }”.
card-held = Application { $application } is held by the duplicate check: the central fund releases it (and it goes to the bank) or refuses it on the production page.
card-not_a_card_step = “{ $event }” is not a step of the card exchange.
card-identification-mismatch = Does not match the pension fund's record.
card-identification-required = When opening the account and when issuing the card the bank sends the holder's identification data.
card-issue-instruction_required = The instruction on using the card is handed to the holder with it.
card-identification-unmatched = Keys are certified only after the bank's identification data matched the fund's record.
card-keys-too_few = At least { $min } key pairs are written to the chip.
card-keys-too_many = At most { $max } requests for one card.
card-keys-repeated = This key is already in the request.
card-keys-invalid_request = Not a self-signed certification request proving possession of the key.
card-keys-missing = The personalizer has not submitted this card's key requests yet.
card-number-invalid = The card number is digits in groups separated by one space or hyphen, 4 to 19 characters.
card-number-differs = The card was personalized with another number: its back prints the recorded number.
card-face-okzo_missing = The card needs the insured person's record-card number (OKZO): add it to the registry.
card-face-photo_missing = The card needs the person's photo (zone 3): upload it on the dossier.
card-face-signature_missing = The card needs the person's signature specimen (zone 6): upload it on the dossier.
card-face-unreadable = This card's personalization data were recorded in an old format; send them to the personalizer again.
card-statement-invalid = The statement must be the report as a JSON object (event and the step's data).
card-statement-other_card = The signed statement is about another card.
card-partner_signature-invalid = The signature does not verify: it does not match the statement, or the certificate is invalid or revoked.
card-partner_signature-not_yours = The statement is signed with a certificate the centre did not issue to your organisation for signing documents.
card-partner_signature-required = A partner's report must carry the organisation's own signature (statement and signature).
card-seal_missing = The fund's seal is not configured: the exchange with the bank and the personalizer is not possible.

## Refusals of the production rules (regulation 26-1, §§ I.4, III, V).
production-commission-too_few = A destruction commission needs at least { $min } members.
production-commission-chair = The commission is chaired by the head of the territorial body.
production-commission-not_appointed = A commission member is not appointed by order on this date.
production-act-unsigned = Not every commission member has signed the act yet ({ $count } signatures missing).
production-issue-identity_document = Record the recipient's identity document.
production-issue-status_document = A legal representative shows the document proving the status.
production-issue-tax_registration = A resident representative shows the tax-registration document (RNOKPP).
production-batch-wrong_unit = This office does not submit batches at this level.
production-appointment-period = An appointment cannot end before it starts.
production-appointment-fund_only = Appointments by order are made in the fund's own offices.
production-act-empty = An act lists at least one certificate.
production-produce-nothing = Name the certificates to produce, or a batch.
production-act-wrong_direction = Acceptance-transfer acts go from the central fund to a regional main office, and from it to one of its district offices.
production-act-not_responsible = An act is signed by the office's responsible person appointed by order.
production-act-other_unit = Certificate { $certificate } belongs to another office.
production-act-wrong_stage = Certificate { $certificate } cannot be listed in this act at its current stage.
production-certificate-on_open_act = Certificate { $certificate } is listed in the open act { $act }: until that act is completed nothing else can be done with it (no issue, no transfer, no other act).
production-act-not_open = The act is already closed.
production-act-not_member = Only commission members sign the act.
production-issue-not_received = The certificate has not been received by act into the issue journal yet.
production-issue-other_office = The certificate is handed over at { $office }, the office named in the application; staff of another office cannot issue it.
production-issue-signature = The recipient's signature is needed: a tick with the specialist's credentials or a signature image.
production-hold-none = The certificate is not held by the duplicate check.

## What a citizen is told about a document in the making (tracking).
tracking-milestone-accepted = Application accepted
tracking-milestone-being_checked = Your data is being checked
tracking-milestone-in_production = Being produced
tracking-milestone-on_its_way = Produced and on its way to your office
tracking-milestone-ready = Ready for collection
tracking-milestone-issued = Issued
tracking-milestone-activated = Card activated
tracking-milestone-blocked = Card blocked by the bank
tracking-milestone-ended = No longer in use
tracking-milestone-application_withdrawn = Application withdrawn
tracking-milestone-refused = Not produced: please contact your office
tracking-milestone-consent_awaited = Requested: waiting for your consent in the wallet
tracking-milestone-being_delivered = You consented: the copy is on its way to the fund
tracking-milestone-received = The fund has received your document
tracking-milestone-not_shared = Not shared: declined or not answered in time
tracking-milestone-not_received = Not received: please ask at the office
tracking-estimate = Expected to be ready by { $date }
tracking-estimate_revised = We are running late, and we apologise: now expected by { $date }
tracking-number_format = Type the application number as on your receipt, e.g. З-2026-0000042.
tracking-not_found = No document matches this number and date of birth. Check both and try again.
tracking-limited = Too many unsuccessful look-ups. Please try again later.
tracking-birth_date_format = Choose your date of birth.
tracking-code_invalid = This code does not work. Please type the application number and your date of birth.

## Notifications
notify-unavailable = Notifications are not set up on this server.
notify-channel_unavailable = This way of being notified is not available now.
notify-email_format = Enter an e-mail address, e.g. olena@example.org.
notify-link_invalid = This link does not work: it was used already, it has expired, or it was not copied whole.
notify-webhook_url = Give the full https://… address of the system that will receive the messages.
notify-too_many_pending = Several subscriptions to this document are still waiting to be confirmed. Confirm one of them, or try again later.
notify-about_application = application { $case }
notify-about_document = the document “{ $type }” you shared from your wallet
notify-case_ended = This request has ended: there will be no more news of it.
notify-not_dead = Only a message that could not be delivered can be sent again.
vn_citizen_id-format = The personal identification number must be { $len } digits.
vn_citizen_id-province = The first three digits of the personal identification number are not a province's code (001–096).
vn_citizen_id-birth_mismatch = The date of birth disagrees with the personal identification number (it says { $year }).
vn_citizen_id-sex_mismatch = The sex disagrees with the personal identification number.
vn_insurance_code-format = The social-insurance code must be { $len } digits.
digitization-agency_code = An agency code is written like 000.00.31.H29: three groups of digits, then a capital letter and two digits.
digitization-dossier_code = A dossier code is written like 000.00.31.H29-230405-0007: the agency code, the date of receipt (YYMMDD) and the day's number.
digitization-result_scheme_unclosed = The digitization-result code scheme has a "{ "{" }" that is not closed.
digitization-result_scheme_placeholder = The digitization-result code scheme may use only { "{dossier}" }, { "{n}" } and { "{n:1}" }–{ "{n:4}" }.
digitization-result_scheme_characters = Outside its placeholders, the digitization-result code scheme may use only letters, digits, ".", "-" and "_".
digitization-result_scheme_once = The digitization-result code scheme must contain { "{dossier}" } and { "{n}" } exactly once each.
digitization-result_scheme_length = The digitization-result code scheme makes codes longer than 64 characters.
digitization-day_full = The agency has opened 9 999 dossiers today, all the numbers a dossier code has for a day.
scan-too_large = The page is too large to process: at most { $max } pixels on its longer side.
scan-too_small = The page is too small to hold readable text.
scan-no_resolution = The scan does not say its resolution; scan again at { $min } dpi or more.
scan-low_resolution = The scan is { $dpi } dpi; at least { $min } dpi is needed.
scan-needs_colour = Scan in colour: seals and signatures must keep their colour.
scan-needs_grey = Scan in colour or greyscale, not black and white.
digitization-birth_certificate_no = A birth certificate's series and number look like І-БК 123456: a Roman numeral, two letters, six digits.
digitization-name_letters = A name may hold only letters and spaces.
digitization-guessed_characters = Some characters were not digits and were taken for digits; compare with the scan.
digitization-low_confidence = Recognised with { $confidence } % confidence, too low to accept without a check.
digitization-not_found = Not found on the scan.
digitization-unzr_birth_mismatch = The date of birth disagrees with the UNZR.
digitization-dossier_full = The dossier already holds 9 999 documents.
digitization-not_in_review = This field does not wait for a decision (it was accepted or decided already), or it has no value read to confirm: type the value.
digitization-not_configured = Digitization is not set up on this server ([digitization] in the configuration).
digitization-procedure = Give the procedure's code: letters, digits, ".", "-" or "_", at most 64.
digitization-no_pages = Add at least one scanned page.
digitization-too_many_pages = A document may have at most { $max } pages.
scan-too_large_file = The file is larger than a scanned page can be (30 MB).
scan-not_an_image = The file is not a PNG, JPEG or TIFF image.
scan-damaged = The image is damaged and cannot be read.
