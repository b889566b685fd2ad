--
-- PostgreSQL database dump
--

\restrict kvKm8bHwtmiZws2y07wdYoTqfBQZrUTOBt3TfMsoZPfnwiVR0VamnlLYuOGhd7g

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: audit_log_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: absences; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.absences (
    id bigint NOT NULL,
    team_id text NOT NULL,
    user_id text NOT NULL,
    deputy_id text NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT absences_check CHECK ((ends_on >= starts_on)),
    CONSTRAINT absences_check1 CHECK ((deputy_id <> user_id))
);


--
-- Name: absences_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.absences_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: absences_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.absences_id_seq OWNED BY public.absences.id;


--
-- Name: actions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.actions (
    id bigint NOT NULL,
    team_id text NOT NULL,
    n integer NOT NULL,
    meeting_id bigint NOT NULL,
    owner_id text NOT NULL,
    text text NOT NULL,
    due_on date,
    done_on date,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT actions_n_check CHECK ((n >= 1)),
    CONSTRAINT actions_text_check CHECK (((length(text) >= 1) AND (length(text) <= 2000)))
);


--
-- Name: actions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.actions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: actions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.actions_id_seq OWNED BY public.actions.id;


--
-- Name: agenda_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.agenda_items (
    id bigint NOT NULL,
    meeting_id bigint NOT NULL,
    "position" integer NOT NULL,
    text text NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT agenda_items_position_check CHECK (("position" >= 1)),
    CONSTRAINT agenda_items_text_check CHECK (((length(text) >= 1) AND (length(text) <= 2000)))
);


--
-- Name: agenda_items_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.agenda_items_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: agenda_items_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.agenda_items_id_seq OWNED BY public.agenda_items.id;


--
-- Name: assessment_scores; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assessment_scores (
    assessment_id bigint NOT NULL,
    field text NOT NULL,
    score smallint NOT NULL,
    CONSTRAINT assessment_scores_field_check CHECK ((field = ANY (ARRAY['residence'::text, 'language'::text, 'work'::text, 'education'::text, 'health'::text, 'housing'::text, 'family'::text, 'finances'::text, 'social'::text]))),
    CONSTRAINT assessment_scores_score_check CHECK (((score >= 1) AND (score <= 5)))
);


--
-- Name: assessments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assessments (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    seq integer NOT NULL,
    assessed_on date NOT NULL,
    note_enc bytea,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT assessments_seq_check CHECK ((seq >= 1))
);


--
-- Name: assessments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.assessments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: assessments_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.assessments_id_seq OWNED BY public.assessments.id;


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    team_id text NOT NULL,
    actor_id text NOT NULL,
    action text NOT NULL,
    case_id bigint,
    case_ref text,
    CONSTRAINT audit_log_action_check CHECK ((action ~ '^[a-z][a-z._-]{1,40}$'::text))
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;


--
-- Name: barriers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.barriers (
    id bigint NOT NULL,
    team_id text NOT NULL,
    case_id bigint,
    partner_id bigint,
    topic text,
    text_enc bytea,
    recorded_on date NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT barriers_check CHECK (((partner_id IS NULL) <> (topic IS NULL))),
    CONSTRAINT barriers_topic_check CHECK (((length(topic) >= 1) AND (length(topic) <= 80)))
);


--
-- Name: barriers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.barriers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: barriers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.barriers_id_seq OWNED BY public.barriers.id;


--
-- Name: case_counters; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.case_counters (
    team_id text NOT NULL,
    year integer NOT NULL,
    last integer NOT NULL,
    CONSTRAINT case_counters_last_check CHECK (((last >= 0) AND (last <= 9999))),
    CONSTRAINT case_counters_year_check CHECK (((year >= 2000) AND (year <= 2999)))
);


--
-- Name: cases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.cases (
    id bigint NOT NULL,
    team_id text NOT NULL,
    ref text NOT NULL,
    owner_id text NOT NULL,
    organisation_id bigint,
    pseudonym_enc bytea,
    target_group text NOT NULL,
    legal_domain text NOT NULL,
    phase text NOT NULL,
    opened_on date NOT NULL,
    closed_on date,
    close_reason text,
    close_note_enc bytea,
    next_monitoring date,
    next_assessment date,
    erased_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT cases_check CHECK (((phase = 'closed'::text) = (closed_on IS NOT NULL))),
    CONSTRAINT cases_check1 CHECK (((closed_on IS NULL) = (close_reason IS NULL))),
    CONSTRAINT cases_check2 CHECK (((closed_on IS NULL) OR (closed_on >= opened_on))),
    CONSTRAINT cases_check3 CHECK (((erased_at IS NULL) OR (pseudonym_enc IS NULL))),
    CONSTRAINT cases_close_reason_check CHECK ((close_reason = ANY (ARRAY['goals-met'::text, 'moved'::text, 'withdrawn'::text, 'transferred'::text, 'other'::text]))),
    CONSTRAINT cases_legal_domain_check CHECK ((legal_domain = ANY (ARRAY['AsylbLG'::text, 'SGB2'::text, 'SGB3'::text, 'SGB8'::text, 'SGB12'::text, 'none'::text]))),
    CONSTRAINT cases_phase_check CHECK ((phase = ANY (ARRAY['intake'::text, 'assessment'::text, 'planning'::text, 'linking'::text, 'monitoring'::text, 'reassessment'::text, 'closed'::text]))),
    CONSTRAINT cases_ref_check CHECK ((ref ~ '^K-[0-9]{4}-[0-9]{4}$'::text)),
    CONSTRAINT cases_target_group_check CHECK ((target_group = ANY (ARRAY['refugee'::text, 'eu'::text, 'third-country'::text, 'other'::text])))
);


--
-- Name: cases_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.cases_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: cases_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.cases_id_seq OWNED BY public.cases.id;


--
-- Name: consents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.consents (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    scope text NOT NULL,
    partner_id bigint,
    form text DEFAULT 'written'::text NOT NULL,
    granted_on date NOT NULL,
    revoked_on date,
    granted_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT consents_check CHECK (((scope = 'partner'::text) = (partner_id IS NOT NULL))),
    CONSTRAINT consents_check1 CHECK (((revoked_on IS NULL) OR (revoked_on >= granted_on))),
    CONSTRAINT consents_form_check CHECK ((form = ANY (ARRAY['written'::text, 'oral'::text]))),
    CONSTRAINT consents_scope_check CHECK ((scope = ANY (ARRAY['processing'::text, 'partner'::text])))
);


--
-- Name: consents_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.consents_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: consents_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.consents_id_seq OWNED BY public.consents.id;


--
-- Name: contacts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contacts (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    kind text NOT NULL,
    minutes integer,
    contact_on date NOT NULL,
    note_enc bytea,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT contacts_kind_check CHECK ((kind = ANY (ARRAY['in-person'::text, 'phone'::text, 'video'::text, 'message'::text, 'home-visit'::text]))),
    CONSTRAINT contacts_minutes_check CHECK (((minutes >= 0) AND (minutes <= 1440)))
);


--
-- Name: contacts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.contacts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: contacts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.contacts_id_seq OWNED BY public.contacts.id;


--
-- Name: domain_changes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.domain_changes (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    from_domain text NOT NULL,
    to_domain text NOT NULL,
    since date NOT NULL,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT domain_changes_check CHECK ((from_domain <> to_domain)),
    CONSTRAINT domain_changes_from_domain_check CHECK ((from_domain = ANY (ARRAY['AsylbLG'::text, 'SGB2'::text, 'SGB3'::text, 'SGB8'::text, 'SGB12'::text, 'none'::text]))),
    CONSTRAINT domain_changes_to_domain_check CHECK ((to_domain = ANY (ARRAY['AsylbLG'::text, 'SGB2'::text, 'SGB3'::text, 'SGB8'::text, 'SGB12'::text, 'none'::text])))
);


--
-- Name: domain_changes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.domain_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: domain_changes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.domain_changes_id_seq OWNED BY public.domain_changes.id;


--
-- Name: goals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.goals (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    n integer NOT NULL,
    field text NOT NULL,
    text_enc bytea,
    due_on date,
    status text DEFAULT 'open'::text NOT NULL,
    created_on date NOT NULL,
    closed_on date,
    created_by text NOT NULL,
    CONSTRAINT goals_check CHECK (((status = 'open'::text) = (closed_on IS NULL))),
    CONSTRAINT goals_field_check CHECK ((field = ANY (ARRAY['residence'::text, 'language'::text, 'work'::text, 'education'::text, 'health'::text, 'housing'::text, 'family'::text, 'finances'::text, 'social'::text]))),
    CONSTRAINT goals_n_check CHECK ((n >= 1)),
    CONSTRAINT goals_status_check CHECK ((status = ANY (ARRAY['open'::text, 'done'::text, 'dropped'::text])))
);


--
-- Name: goals_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.goals_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: goals_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.goals_id_seq OWNED BY public.goals.id;


--
-- Name: goose_db_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.goose_db_version (
    id integer NOT NULL,
    version_id bigint NOT NULL,
    is_applied boolean NOT NULL,
    tstamp timestamp without time zone DEFAULT now() NOT NULL
);


--
-- Name: goose_db_version_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.goose_db_version ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.goose_db_version_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: installation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.installation (
    key text NOT NULL,
    value text DEFAULT ''::text NOT NULL,
    secret_enc bytea,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT installation_key_check CHECK ((key ~ '^[a-z_]+$'::text))
);


--
-- Name: meetings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meetings (
    id bigint NOT NULL,
    team_id text NOT NULL,
    n integer NOT NULL,
    title text NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    channel_id text NOT NULL,
    created_by text NOT NULL,
    agenda_posted_at timestamp with time zone,
    agenda_post_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    channel_name text DEFAULT ''::text NOT NULL,
    agenda_posted_items integer DEFAULT 0 NOT NULL,
    agenda_posted_barrier bigint DEFAULT 0 NOT NULL,
    CONSTRAINT meetings_n_check CHECK ((n >= 1)),
    CONSTRAINT meetings_title_check CHECK (((length(title) >= 1) AND (length(title) <= 200)))
);


--
-- Name: meetings_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meetings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meetings_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meetings_id_seq OWNED BY public.meetings.id;


--
-- Name: memberships; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.memberships (
    team_id text NOT NULL,
    user_id text NOT NULL,
    role text NOT NULL,
    organisation_id bigint,
    granted_by text NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT memberships_role_check CHECK ((role = ANY (ARRAY['coach'::text, 'coordinator'::text, 'admin'::text])))
);


--
-- Name: organisations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organisations (
    id bigint NOT NULL,
    team_id text NOT NULL,
    name text NOT NULL,
    CONSTRAINT organisations_name_check CHECK (((length(name) >= 1) AND (length(name) <= 80)))
);


--
-- Name: organisations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.organisations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: organisations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.organisations_id_seq OWNED BY public.organisations.id;


--
-- Name: partners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partners (
    id bigint NOT NULL,
    team_id text NOT NULL,
    key text NOT NULL,
    name text NOT NULL,
    legal_domain text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT partners_key_check CHECK ((key ~ '^[a-z0-9][a-z0-9-]{1,39}$'::text)),
    CONSTRAINT partners_legal_domain_check CHECK ((legal_domain = ANY (ARRAY['AsylbLG'::text, 'SGB2'::text, 'SGB3'::text, 'SGB8'::text, 'SGB12'::text, 'none'::text]))),
    CONSTRAINT partners_name_check CHECK (((length(name) >= 1) AND (length(name) <= 120)))
);


--
-- Name: partners_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.partners_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: partners_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.partners_id_seq OWNED BY public.partners.id;


--
-- Name: referrals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referrals (
    id bigint NOT NULL,
    case_id bigint NOT NULL,
    n integer NOT NULL,
    partner_id bigint NOT NULL,
    reason_enc bytea,
    referred_on date NOT NULL,
    followup_on date,
    outcome text DEFAULT 'pending'::text NOT NULL,
    outcome_on date,
    outcome_note_enc bytea,
    created_by text NOT NULL,
    CONSTRAINT referrals_check CHECK (((outcome_on IS NULL) OR (outcome_on >= referred_on))),
    CONSTRAINT referrals_n_check CHECK ((n >= 1)),
    CONSTRAINT referrals_outcome_check CHECK ((outcome = ANY (ARRAY['accepted'::text, 'rejected'::text, 'pending'::text, 'no-show'::text, 'completed'::text])))
);


--
-- Name: referrals_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.referrals_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: referrals_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.referrals_id_seq OWNED BY public.referrals.id;


--
-- Name: reminder_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.reminder_deliveries (
    id bigint NOT NULL,
    key text NOT NULL,
    kind text NOT NULL,
    user_id text,
    meeting_id bigint,
    day date NOT NULL,
    status text DEFAULT 'claimed'::text NOT NULL,
    claimed_by text DEFAULT ''::text NOT NULL,
    claimed_until timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt timestamp with time zone,
    post_id text,
    last_error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    channel_id text,
    expires_at timestamp with time zone,
    CONSTRAINT reminder_deliveries_check CHECK (((status = 'sent'::text) = (post_id IS NOT NULL))),
    CONSTRAINT reminder_deliveries_key_len CHECK (((length(key) >= 1) AND (length(key) <= 200))),
    CONSTRAINT reminder_deliveries_kind_check CHECK ((kind ~ '^[a-z][a-z0-9-]{1,39}$'::text)),
    CONSTRAINT reminder_deliveries_status_check CHECK ((status = ANY (ARRAY['claimed'::text, 'sent'::text, 'expired'::text, 'empty'::text]))),
    CONSTRAINT reminder_deliveries_target CHECK (((user_id IS NOT NULL) OR (channel_id IS NOT NULL)))
);


--
-- Name: reminder_deliveries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.reminder_deliveries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: reminder_deliveries_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.reminder_deliveries_id_seq OWNED BY public.reminder_deliveries.id;


--
-- Name: teams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.teams (
    id text NOT NULL,
    name text NOT NULL,
    command_id text,
    command_token_enc bytea,
    monitoring_days integer DEFAULT 28 NOT NULL,
    first_assessment_days integer DEFAULT 14 NOT NULL,
    reassessment_months integer DEFAULT 6 NOT NULL,
    followup_days integer DEFAULT 14 NOT NULL,
    agenda_lead_workdays integer DEFAULT 2 NOT NULL,
    retention_months integer DEFAULT 6 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT teams_agenda_lead_workdays_check CHECK (((agenda_lead_workdays >= 0) AND (agenda_lead_workdays <= 20))),
    CONSTRAINT teams_first_assessment_days_check CHECK (((first_assessment_days >= 1) AND (first_assessment_days <= 365))),
    CONSTRAINT teams_followup_days_check CHECK (((followup_days >= 1) AND (followup_days <= 365))),
    CONSTRAINT teams_monitoring_days_check CHECK (((monitoring_days >= 1) AND (monitoring_days <= 365))),
    CONSTRAINT teams_reassessment_months_check CHECK (((reassessment_months >= 1) AND (reassessment_months <= 36))),
    CONSTRAINT teams_retention_months_check CHECK (((retention_months >= 1) AND (retention_months <= 120)))
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id text NOT NULL,
    username text DEFAULT ''::text NOT NULL,
    locale text DEFAULT ''::text NOT NULL,
    lang text,
    timezone text DEFAULT ''::text NOT NULL,
    digest_time time without time zone DEFAULT '08:00:00'::time without time zone,
    sysadmin boolean DEFAULT false NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_lang_check CHECK ((lang = ANY (ARRAY['de'::text, 'en'::text])))
);


--
-- Name: absences id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.absences ALTER COLUMN id SET DEFAULT nextval('public.absences_id_seq'::regclass);


--
-- Name: actions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actions ALTER COLUMN id SET DEFAULT nextval('public.actions_id_seq'::regclass);


--
-- Name: agenda_items id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agenda_items ALTER COLUMN id SET DEFAULT nextval('public.agenda_items_id_seq'::regclass);


--
-- Name: assessments id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments ALTER COLUMN id SET DEFAULT nextval('public.assessments_id_seq'::regclass);


--
-- Name: audit_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN id SET DEFAULT nextval('public.audit_log_id_seq'::regclass);


--
-- Name: barriers id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.barriers ALTER COLUMN id SET DEFAULT nextval('public.barriers_id_seq'::regclass);


--
-- Name: cases id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases ALTER COLUMN id SET DEFAULT nextval('public.cases_id_seq'::regclass);


--
-- Name: consents id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents ALTER COLUMN id SET DEFAULT nextval('public.consents_id_seq'::regclass);


--
-- Name: contacts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contacts ALTER COLUMN id SET DEFAULT nextval('public.contacts_id_seq'::regclass);


--
-- Name: domain_changes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.domain_changes ALTER COLUMN id SET DEFAULT nextval('public.domain_changes_id_seq'::regclass);


--
-- Name: goals id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goals ALTER COLUMN id SET DEFAULT nextval('public.goals_id_seq'::regclass);


--
-- Name: meetings id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meetings ALTER COLUMN id SET DEFAULT nextval('public.meetings_id_seq'::regclass);


--
-- Name: organisations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisations ALTER COLUMN id SET DEFAULT nextval('public.organisations_id_seq'::regclass);


--
-- Name: partners id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners ALTER COLUMN id SET DEFAULT nextval('public.partners_id_seq'::regclass);


--
-- Name: referrals id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals ALTER COLUMN id SET DEFAULT nextval('public.referrals_id_seq'::regclass);


--
-- Name: reminder_deliveries id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reminder_deliveries ALTER COLUMN id SET DEFAULT nextval('public.reminder_deliveries_id_seq'::regclass);


--
-- Data for Name: absences; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: actions; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: agenda_items; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: assessment_scores; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.assessment_scores VALUES (1, 'language', 2);
INSERT INTO public.assessment_scores VALUES (1, 'work', 3);
INSERT INTO public.assessment_scores VALUES (2, 'language', 2);
INSERT INTO public.assessment_scores VALUES (2, 'work', 3);


--
-- Data for Name: assessments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.assessments VALUES (1, 1, 1, '2026-11-23', '\x07eba59af8243387176a104e5afe47232e5d6ecd995a08e1bd4ab94295fd6cda8507b9b7b6f943395f3b53b8ceeb213f0843130327762f43a4a5feb2633707a9b4ef33b26c10eb', 'id-anna', '2026-12-01 21:14:10.402196+00');
INSERT INTO public.assessments VALUES (2, 2, 1, '2026-11-23', '\x50962a3ef173d82a9be44f99b199a653bd817c0a95b6d8876536ca946058813ffbbfaf1f6f37eca3634c8575ca70b432d385a81b728de36ef10cd0df0bd7e21d910dafda1399d9', 'id-anna', '2026-12-01 21:14:10.465629+00');


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_log VALUES (1, '2026-12-01 21:14:10.34049+00', 'team-ops', 'id-root', 'admin.role', NULL, NULL);
INSERT INTO public.audit_log VALUES (2, '2026-12-01 21:14:10.348085+00', 'team-ops', 'id-anna', 'case.open', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (3, '2026-12-01 21:14:10.362043+00', 'team-ops', 'id-anna', 'case.open', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (4, '2026-12-01 21:14:10.372124+00', 'team-ops', 'id-anna', 'contact.add', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (5, '2026-12-01 21:14:10.389093+00', 'team-ops', 'id-anna', 'contact.add', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (6, '2026-12-01 21:14:10.397144+00', 'team-ops', 'id-anna', 'contact.add', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (7, '2026-12-01 21:14:10.402196+00', 'team-ops', 'id-anna', 'assessment.add', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (8, '2026-12-01 21:14:10.414539+00', 'team-ops', 'id-anna', 'goal.add', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (9, '2026-12-01 21:14:10.421894+00', 'team-ops', 'id-anna', 'consent.grant', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (10, '2026-12-01 21:14:10.435485+00', 'team-ops', 'id-anna', 'referral.add', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (11, '2026-12-01 21:14:10.442127+00', 'team-ops', 'id-anna', 'referral.outcome', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (12, '2026-12-01 21:14:10.444398+00', 'team-ops', 'id-anna', 'barrier.add', 1, 'K-2026-0001');
INSERT INTO public.audit_log VALUES (13, '2026-12-01 21:14:10.459337+00', 'team-ops', 'id-anna', 'contact.add', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (14, '2026-12-01 21:14:10.461752+00', 'team-ops', 'id-anna', 'contact.add', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (15, '2026-12-01 21:14:10.463659+00', 'team-ops', 'id-anna', 'contact.add', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (16, '2026-12-01 21:14:10.465629+00', 'team-ops', 'id-anna', 'assessment.add', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (17, '2026-12-01 21:14:10.469148+00', 'team-ops', 'id-anna', 'goal.add', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (18, '2026-12-01 21:14:10.470829+00', 'team-ops', 'id-anna', 'consent.grant', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (19, '2026-12-01 21:14:10.472297+00', 'team-ops', 'id-anna', 'referral.add', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (20, '2026-12-01 21:14:10.474094+00', 'team-ops', 'id-anna', 'referral.outcome', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (21, '2026-12-01 21:14:10.475624+00', 'team-ops', 'id-anna', 'barrier.add', 2, 'K-2026-0002');
INSERT INTO public.audit_log VALUES (22, '2026-12-01 21:14:10.478211+00', 'team-ops', 'id-anna', 'case.close', 1, 'K-2026-0001');


--
-- Data for Name: barriers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.barriers VALUES (1, 'team-ops', 1, 1, NULL, '\xa115a383039d63e4d97705849a21a1511ac31d8f55fedb31c7afd20e6ee73a442d4b85d90febcad4c26e3b858bf549b431d8e373d74aa1c11a6794ddfb02d6d8', '2026-11-23', 'id-anna', '2026-12-01 21:14:10.444398+00');
INSERT INTO public.barriers VALUES (2, 'team-ops', 2, 1, NULL, '\x249e7e6576bfc4c8403fbbb5f2266a015944296e4525ef0ae6fe351850ec954f60bb0e5128b5deaac356c8bca3accb12a2422a725fa4f1d745d54e69016e0590', '2026-11-23', 'id-anna', '2026-12-01 21:14:10.475624+00');


--
-- Data for Name: case_counters; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.case_counters VALUES ('team-ops', 2026, 2);


--
-- Data for Name: cases; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.cases VALUES (2, 'team-ops', 'K-2026-0002', 'id-anna', 1, '\xea3ff01f92373b34b288e3adcaa8e36011a57ed896657fff6691c7b2b5ae80985a9f0d0e67f4a4106a3e70f2', 'eu', 'none', 'monitoring', '2026-11-23', NULL, NULL, NULL, '2026-12-21', '2027-05-23', NULL, '2026-12-01 21:14:10.362043+00', '2026-12-01 21:14:10.475624+00');
INSERT INTO public.cases VALUES (1, 'team-ops', 'K-2026-0001', 'id-anna', 1, '\xd40f091ae2862bb8e5cc528ccc724d38071291da96c9a6a37dd9aae6296b2b1e7cb65fd9c3499d565e0726db9f4802d9d86a', 'refugee', 'SGB2', 'closed', '2026-11-23', '2026-11-23', 'moved', '\x2315bd859757ad2c1bfc537b6425128ff84ef80f71438ae26f96a84b69d18e5673f968fd3e8893332de5ab57d9b460', NULL, NULL, NULL, '2026-12-01 21:14:10.348085+00', '2026-12-01 21:14:10.478211+00');


--
-- Data for Name: consents; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.consents VALUES (1, 1, 'processing', NULL, 'written', '2026-11-23', NULL, 'id-anna', '2026-12-01 21:14:10.348085+00');
INSERT INTO public.consents VALUES (2, 2, 'processing', NULL, 'written', '2026-11-23', NULL, 'id-anna', '2026-12-01 21:14:10.362043+00');
INSERT INTO public.consents VALUES (3, 1, 'partner', 1, 'written', '2026-11-23', NULL, 'id-anna', '2026-12-01 21:14:10.421894+00');
INSERT INTO public.consents VALUES (4, 2, 'partner', 1, 'written', '2026-11-23', NULL, 'id-anna', '2026-12-01 21:14:10.470829+00');


--
-- Data for Name: contacts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.contacts VALUES (1, 1, 'phone', 10, '2026-11-23', '\xf4236421168851a7a8aaf727c7863be2a124b4c0bb28d8ce5d0eb4bbd1a21266aa4d60abc75dfea7cd2481f5a77ce504195210f763e1cb968a2f225d17e9a2e32adef5', 'id-anna', '2026-12-01 21:14:10.372124+00');
INSERT INTO public.contacts VALUES (2, 1, 'phone', 20, '2026-11-23', '\x1613b7ec39bef7ac1e500dc37c102f4a47a5d4de7ff3bca0d6e7419a45d35ec2687b7bffa1efb4e44cd24b6b3b88732c2af122a3299c9b2616a267897dd096e989ac40', 'id-anna', '2026-12-01 21:14:10.389093+00');
INSERT INTO public.contacts VALUES (3, 1, 'phone', 30, '2026-11-23', '\xaa890c8e65755b580777336452222de5d3396738b29d442ad2aa81b5b9d2f93375e4ace152d7df4ac70847454609e4510425cb6acdb21bb72c5f2d6a0c60320576a9a2', 'id-anna', '2026-12-01 21:14:10.397144+00');
INSERT INTO public.contacts VALUES (4, 2, 'phone', 10, '2026-11-23', '\x7318c19fc9cf730534d1db5fe68ddf438ef65b68be76c3ae7001bf88316a74fecd0b6692c72f9d0a80b06d4951b502bc0bee398137a29faf64df698612112baeb2dc2d', 'id-anna', '2026-12-01 21:14:10.459337+00');
INSERT INTO public.contacts VALUES (5, 2, 'phone', 20, '2026-11-23', '\xb4ee1dbab2c58ce704d90cbc2adf51eb9d632579a6e65411d817002029b1d083433e5fe3568c0fdb783c5c19fd8910708cd6f57892ecaeeb01988a38952114c62fde4c', 'id-anna', '2026-12-01 21:14:10.461752+00');
INSERT INTO public.contacts VALUES (6, 2, 'phone', 30, '2026-11-23', '\xa93295d366b9e7f4db17998400059ba64b4a5a971076752cea269803c75d613cbe3ba260d37ad9d1223e6a1d4b85b81680a94092d7a6eee0cc4e994b37f24f4d3501ae', 'id-anna', '2026-12-01 21:14:10.463659+00');


--
-- Data for Name: domain_changes; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: goals; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.goals VALUES (1, 1, 1, 'language', '\xe960bea3c7f10dac0e3cf5c63ac6fb11d98c2118aaf629b8e0b3d596ad0ed1a4571f15328b795fbdca3b484c6a72092f7b5623a28640077c2ad05fb1', NULL, 'open', '2026-11-23', NULL, 'id-anna');
INSERT INTO public.goals VALUES (2, 2, 1, 'language', '\x146bd87212f6b9bd31645fc85599f5ce116a5b92031f67d1c2846a8394f0790abe1178dd0b4f9dce5811e316322e5b03c54487fffab3af36dde2c740', NULL, 'open', '2026-11-23', NULL, 'id-anna');


--
-- Data for Name: goose_db_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.goose_db_version VALUES (1, 0, true, '2026-12-01 21:14:10.185339');
INSERT INTO public.goose_db_version VALUES (2, 1, true, '2026-12-01 21:14:10.199395');
INSERT INTO public.goose_db_version VALUES (3, 4, true, '2026-12-01 21:14:10.31418');
INSERT INTO public.goose_db_version VALUES (4, 5, true, '2026-12-01 21:14:10.320561');


--
-- Data for Name: installation; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.installation VALUES ('bot_token', 'bot-ops', '\x62957eaee6201f8eccd93d328a883e7445654aa6e8cbfb2f9681f17943840b0e286eae10db09ebc4e3d5be16e7f8e8a0d32df907ff51c868bf', '2026-12-01 21:14:10.334386+00');


--
-- Data for Name: meetings; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: memberships; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.memberships VALUES ('team-ops', 'id-anna', 'coach', 1, 'id-root', '2026-12-01 21:14:10.338488+00');


--
-- Data for Name: organisations; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.organisations VALUES (1, 'team-ops', 'Caritas');


--
-- Data for Name: partners; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.partners VALUES (1, 'team-ops', 'jobcenter', 'Jobcenter', 'SGB2', '2026-12-01 21:14:10.326192+00');
INSERT INTO public.partners VALUES (2, 'team-ops', 'arbeitsagentur', 'Agentur für Arbeit', 'SGB3', '2026-12-01 21:14:10.326192+00');
INSERT INTO public.partners VALUES (3, 'team-ops', 'jugendamt', 'Jugendamt', 'SGB8', '2026-12-01 21:14:10.326192+00');
INSERT INTO public.partners VALUES (4, 'team-ops', 'sozialamt', 'Sozialamt', 'SGB12', '2026-12-01 21:14:10.326192+00');
INSERT INTO public.partners VALUES (5, 'team-ops', 'auslaenderbehoerde', 'Ausländerbehörde', NULL, '2026-12-01 21:14:10.326192+00');
INSERT INTO public.partners VALUES (6, 'team-ops', 'jmd', 'Jugendmigrationsdienst (JMD)', NULL, '2026-12-01 21:14:10.326192+00');
INSERT INTO public.partners VALUES (7, 'team-ops', 'mbe', 'Migrationsberatung für Erwachsene (MBE)', NULL, '2026-12-01 21:14:10.326192+00');
INSERT INTO public.partners VALUES (8, 'team-ops', 'gesundheitsamt', 'Gesundheitsamt', NULL, '2026-12-01 21:14:10.326192+00');
INSERT INTO public.partners VALUES (9, 'team-ops', 'integrationskurs', 'Integrationskursträger', NULL, '2026-12-01 21:14:10.326192+00');


--
-- Data for Name: referrals; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.referrals VALUES (1, 1, 1, 1, '\x285c369762af5cda344bb80d28d02439e9c633ae81d9c8295bc59140777a9ebfe8ddb5770b9f88396e962a6ff614a32fa76b33e676417303b517', '2026-11-23', '2026-12-07', 'accepted', '2026-11-23', '\x0bd0a9af79b0c751569d2d585a41d465f9a7640ddc6a1465c3bde6c8d11ef2391af2ed2b4a987dacd4f1a85c12e0846a8f', 'id-anna');
INSERT INTO public.referrals VALUES (2, 2, 1, 1, '\xe208e7975aee5552f0d5ec87424cd76575b3fb2dd600715838b5c909bad7ad42df1938fc1124fb01430f9a71851a4a64b3ada1d2b3773ec523b1', '2026-11-23', '2026-12-07', 'accepted', '2026-11-23', '\xf52778438aaf1d4f296b3a333beeb340950cfdf69a75deba1f8b9b55791c39258aad097efed9e6714980b4f8be6d61ac5a', 'id-anna');


--
-- Data for Name: reminder_deliveries; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: teams; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.teams VALUES ('team-ops', 'ops', 'cmd-ops', '\xc36f47f2ebfbdd10520d0f76e961ad4b5bd164b017900f9053d857bb848aa731d50323b02ae5507fc72cdc8638052b282b02b134c0', 28, 14, 6, 14, 2, 6, '2026-12-01 21:14:10.326192+00', '2026-12-01 21:14:10.326192+00');


--
-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.users VALUES ('id-root', 'root', 'de', NULL, '', '08:00:00', true, '2026-12-01 21:14:10.335515+00');
INSERT INTO public.users VALUES ('id-anna', 'anna', 'de', NULL, '', '08:00:00', false, '2026-12-01 21:14:10.336234+00');


--
-- Name: absences_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.absences_id_seq', 1, false);


--
-- Name: actions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.actions_id_seq', 1, false);


--
-- Name: agenda_items_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.agenda_items_id_seq', 1, false);


--
-- Name: assessments_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.assessments_id_seq', 2, true);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 22, true);


--
-- Name: barriers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.barriers_id_seq', 2, true);


--
-- Name: cases_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.cases_id_seq', 2, true);


--
-- Name: consents_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.consents_id_seq', 4, true);


--
-- Name: contacts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.contacts_id_seq', 6, true);


--
-- Name: domain_changes_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.domain_changes_id_seq', 1, false);


--
-- Name: goals_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.goals_id_seq', 2, true);


--
-- Name: goose_db_version_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.goose_db_version_id_seq', 4, true);


--
-- Name: meetings_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meetings_id_seq', 1, false);


--
-- Name: organisations_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.organisations_id_seq', 1, true);


--
-- Name: partners_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.partners_id_seq', 9, true);


--
-- Name: referrals_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.referrals_id_seq', 2, true);


--
-- Name: reminder_deliveries_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.reminder_deliveries_id_seq', 1, false);


--
-- Name: absences absences_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.absences
    ADD CONSTRAINT absences_pkey PRIMARY KEY (id);


--
-- Name: actions actions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actions
    ADD CONSTRAINT actions_pkey PRIMARY KEY (id);


--
-- Name: actions actions_team_id_n_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actions
    ADD CONSTRAINT actions_team_id_n_key UNIQUE (team_id, n);


--
-- Name: agenda_items agenda_items_meeting_id_position_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agenda_items
    ADD CONSTRAINT agenda_items_meeting_id_position_key UNIQUE (meeting_id, "position");


--
-- Name: agenda_items agenda_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agenda_items
    ADD CONSTRAINT agenda_items_pkey PRIMARY KEY (id);


--
-- Name: assessment_scores assessment_scores_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_scores
    ADD CONSTRAINT assessment_scores_pkey PRIMARY KEY (assessment_id, field);


--
-- Name: assessments assessments_case_id_seq_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments
    ADD CONSTRAINT assessments_case_id_seq_key UNIQUE (case_id, seq);


--
-- Name: assessments assessments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments
    ADD CONSTRAINT assessments_pkey PRIMARY KEY (id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: barriers barriers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.barriers
    ADD CONSTRAINT barriers_pkey PRIMARY KEY (id);


--
-- Name: case_counters case_counters_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_counters
    ADD CONSTRAINT case_counters_pkey PRIMARY KEY (team_id, year);


--
-- Name: cases cases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_pkey PRIMARY KEY (id);


--
-- Name: cases cases_team_id_ref_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_team_id_ref_key UNIQUE (team_id, ref);


--
-- Name: consents consents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents
    ADD CONSTRAINT consents_pkey PRIMARY KEY (id);


--
-- Name: contacts contacts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT contacts_pkey PRIMARY KEY (id);


--
-- Name: domain_changes domain_changes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.domain_changes
    ADD CONSTRAINT domain_changes_pkey PRIMARY KEY (id);


--
-- Name: goals goals_case_id_n_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goals
    ADD CONSTRAINT goals_case_id_n_key UNIQUE (case_id, n);


--
-- Name: goals goals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goals
    ADD CONSTRAINT goals_pkey PRIMARY KEY (id);


--
-- Name: goose_db_version goose_db_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goose_db_version
    ADD CONSTRAINT goose_db_version_pkey PRIMARY KEY (id);


--
-- Name: installation installation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.installation
    ADD CONSTRAINT installation_pkey PRIMARY KEY (key);


--
-- Name: meetings meetings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meetings
    ADD CONSTRAINT meetings_pkey PRIMARY KEY (id);


--
-- Name: meetings meetings_team_id_n_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meetings
    ADD CONSTRAINT meetings_team_id_n_key UNIQUE (team_id, n);


--
-- Name: memberships memberships_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memberships
    ADD CONSTRAINT memberships_pkey PRIMARY KEY (team_id, user_id);


--
-- Name: organisations organisations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_pkey PRIMARY KEY (id);


--
-- Name: organisations organisations_team_id_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_team_id_name_key UNIQUE (team_id, name);


--
-- Name: partners partners_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners
    ADD CONSTRAINT partners_pkey PRIMARY KEY (id);


--
-- Name: partners partners_team_id_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners
    ADD CONSTRAINT partners_team_id_key_key UNIQUE (team_id, key);


--
-- Name: referrals referrals_case_id_n_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_case_id_n_key UNIQUE (case_id, n);


--
-- Name: referrals referrals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_pkey PRIMARY KEY (id);


--
-- Name: reminder_deliveries reminder_deliveries_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reminder_deliveries
    ADD CONSTRAINT reminder_deliveries_key_key UNIQUE (key);


--
-- Name: reminder_deliveries reminder_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reminder_deliveries
    ADD CONSTRAINT reminder_deliveries_pkey PRIMARY KEY (id);


--
-- Name: teams teams_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_name_key UNIQUE (name);


--
-- Name: teams teams_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_pkey PRIMARY KEY (id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: absences_deputy; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX absences_deputy ON public.absences USING btree (deputy_id, ends_on);


--
-- Name: absences_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX absences_user ON public.absences USING btree (team_id, user_id, ends_on);


--
-- Name: actions_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX actions_due ON public.actions USING btree (owner_id, due_on) WHERE (done_on IS NULL);


--
-- Name: actions_meeting; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX actions_meeting ON public.actions USING btree (meeting_id, n);


--
-- Name: assessments_on; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX assessments_on ON public.assessments USING btree (assessed_on);


--
-- Name: audit_log_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_case ON public.audit_log USING btree (case_id, at);


--
-- Name: barriers_team; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX barriers_team ON public.barriers USING btree (team_id, created_at);


--
-- Name: barriers_team_recorded; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX barriers_team_recorded ON public.barriers USING btree (team_id, recorded_on);


--
-- Name: cases_due_assessment; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_due_assessment ON public.cases USING btree (owner_id, next_assessment) WHERE (closed_on IS NULL);


--
-- Name: cases_due_monitoring; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_due_monitoring ON public.cases USING btree (owner_id, next_monitoring) WHERE (closed_on IS NULL);


--
-- Name: cases_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_owner ON public.cases USING btree (team_id, owner_id) WHERE (closed_on IS NULL);


--
-- Name: cases_team_closed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_team_closed ON public.cases USING btree (team_id, closed_on) WHERE (closed_on IS NOT NULL);


--
-- Name: cases_team_opened; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_team_opened ON public.cases USING btree (team_id, opened_on);


--
-- Name: cases_team_owner_assessment; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_team_owner_assessment ON public.cases USING btree (team_id, owner_id, next_assessment) WHERE (closed_on IS NULL);


--
-- Name: cases_team_owner_monitoring; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cases_team_owner_monitoring ON public.cases USING btree (team_id, owner_id, next_monitoring) WHERE (closed_on IS NULL);


--
-- Name: consents_active; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX consents_active ON public.consents USING btree (case_id, scope, COALESCE(partner_id, (0)::bigint)) WHERE (revoked_on IS NULL);


--
-- Name: contacts_case; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contacts_case ON public.contacts USING btree (case_id, contact_on DESC);


--
-- Name: contacts_on; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contacts_on ON public.contacts USING btree (contact_on, case_id);


--
-- Name: domain_changes_since; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX domain_changes_since ON public.domain_changes USING btree (since);


--
-- Name: goals_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX goals_due ON public.goals USING btree (due_on, case_id) WHERE (status = 'open'::text);


--
-- Name: meetings_starts; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meetings_starts ON public.meetings USING btree (starts_at);


--
-- Name: meetings_team_starts; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX meetings_team_starts ON public.meetings USING btree (team_id, starts_at);


--
-- Name: referrals_followup; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_followup ON public.referrals USING btree (followup_on, case_id) WHERE (outcome = 'pending'::text);


--
-- Name: referrals_on; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_on ON public.referrals USING btree (referred_on, partner_id);


--
-- Name: reminder_deliveries_claimed; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX reminder_deliveries_claimed ON public.reminder_deliveries USING btree (expires_at) WHERE (status = 'claimed'::text);


--
-- Name: reminder_deliveries_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX reminder_deliveries_open ON public.reminder_deliveries USING btree (day) WHERE (status = 'claimed'::text);


--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_append_only();


--
-- Name: audit_log audit_log_no_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_update BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.audit_log_append_only();


--
-- Name: absences absences_deputy_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.absences
    ADD CONSTRAINT absences_deputy_id_fkey FOREIGN KEY (deputy_id) REFERENCES public.users(id);


--
-- Name: absences absences_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.absences
    ADD CONSTRAINT absences_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: absences absences_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.absences
    ADD CONSTRAINT absences_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: actions actions_meeting_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actions
    ADD CONSTRAINT actions_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meetings(id);


--
-- Name: actions actions_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actions
    ADD CONSTRAINT actions_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.users(id);


--
-- Name: actions actions_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actions
    ADD CONSTRAINT actions_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: agenda_items agenda_items_meeting_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agenda_items
    ADD CONSTRAINT agenda_items_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meetings(id);


--
-- Name: assessment_scores assessment_scores_assessment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_scores
    ADD CONSTRAINT assessment_scores_assessment_id_fkey FOREIGN KEY (assessment_id) REFERENCES public.assessments(id);


--
-- Name: assessments assessments_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments
    ADD CONSTRAINT assessments_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: audit_log audit_log_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: barriers barriers_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.barriers
    ADD CONSTRAINT barriers_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: barriers barriers_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.barriers
    ADD CONSTRAINT barriers_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: barriers barriers_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.barriers
    ADD CONSTRAINT barriers_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: case_counters case_counters_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.case_counters
    ADD CONSTRAINT case_counters_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: cases cases_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id);


--
-- Name: cases cases_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.users(id);


--
-- Name: cases cases_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cases
    ADD CONSTRAINT cases_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: consents consents_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents
    ADD CONSTRAINT consents_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: consents consents_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.consents
    ADD CONSTRAINT consents_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: contacts contacts_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contacts
    ADD CONSTRAINT contacts_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: domain_changes domain_changes_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.domain_changes
    ADD CONSTRAINT domain_changes_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: goals goals_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goals
    ADD CONSTRAINT goals_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: meetings meetings_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meetings
    ADD CONSTRAINT meetings_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: meetings meetings_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meetings
    ADD CONSTRAINT meetings_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: memberships memberships_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memberships
    ADD CONSTRAINT memberships_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.organisations(id);


--
-- Name: memberships memberships_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memberships
    ADD CONSTRAINT memberships_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: memberships memberships_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.memberships
    ADD CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: organisations organisations_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisations
    ADD CONSTRAINT organisations_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: partners partners_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners
    ADD CONSTRAINT partners_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(id);


--
-- Name: referrals referrals_case_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_case_id_fkey FOREIGN KEY (case_id) REFERENCES public.cases(id);


--
-- Name: referrals referrals_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- Name: reminder_deliveries reminder_deliveries_meeting_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reminder_deliveries
    ADD CONSTRAINT reminder_deliveries_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meetings(id);


--
-- Name: reminder_deliveries reminder_deliveries_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reminder_deliveries
    ADD CONSTRAINT reminder_deliveries_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- PostgreSQL database dump complete
--

\unrestrict kvKm8bHwtmiZws2y07wdYoTqfBQZrUTOBt3TfMsoZPfnwiVR0VamnlLYuOGhd7g

